// The upload page: <vod-uploader> the React 19 way. Function properties are passed as props (React
// 19 sets them as properties), `onvod-upload-success` is a listener of that event, and the form field
// is controlled: its state follows the element's `change` event, the element's `value` is its source.
import 'vod-uploader/vod-uploader.js';
import type {} from 'vod-uploader/react';
import type { VodUploaderElement, VodUploadSuccessEvent } from 'vod-uploader';
import { APPID, BUCKET, ENDPOINT, type Signing, type Uploaded } from '../../shared/backend.js';

interface Props {
  signing: Signing;
  video: string;
  onVideo: (value: string) => void;
  uploaded: Uploaded | undefined;
  onUploaded: (uploaded: Uploaded) => void;
}

export function UploadPage({ signing, video, onVideo, uploaded, onUploaded }: Props) {
  const onSuccess = (event: VodUploadSuccessEvent) => {
    const { resourcePath, accessUrl } = event.detail.result;
    onUploaded({ resourcePath, accessUrl });
  };
  return (
    <main>
      <h1>Upload</h1>
      <form onSubmit={(e) => e.preventDefault()}>
        <vod-uploader
          endpoint={ENDPOINT}
          appid={APPID}
          bucket={BUCKET}
          folder="react"
          name="video"
          signatureProvider={signing.signatureProvider}
          metadata={signing.metadata}
          onvod-upload-success={onSuccess}
          onchange={(e) => onVideo((e.target as VodUploaderElement).value)}
        />
        <label>
          Video field <output data-testid="form-value">{video}</output>
        </label>
      </form>
      {uploaded && (
        <p data-testid="success">
          Uploaded <a href={uploaded.accessUrl}>{uploaded.resourcePath}</a>
        </p>
      )}
    </main>
  );
}
