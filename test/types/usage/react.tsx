// A React 19 page as a user writes it, type-checked against the generated JSX types by
// test/unit/framework-types.test.ts. Each @ts-expect-error is a mistake the types must refuse.
import type { JSX } from 'react';
import type {} from 'vod-uploader/react';
import type { AllTrue, HandlersMatchEventMap } from './checks.js';

export const handlersMatch: AllTrue<HandlersMatchEventMap<JSX.IntrinsicElements['vod-uploader']>> = true;

export function UploadPage({ onDone }: { onDone: (url: string) => void }) {
  return (
    <vod-uploader
      appid="1250000000"
      bucket="videos"
      max-size="21474836480"
      slice-sha
      maxFiles={3}
      multiple
      className="uploader"
      ref={(element) => {
        element?.addFiles([]);
      }}
      signatureProvider={async (ctx) => `signature for ${ctx.path}`}
      metadata={(file) => ({ video_title: file.name })}
      i18n={{ dropzoneTitle: 'Drop a video' }}
      onvod-upload-success={(event) => onDone(event.detail.result.accessUrl)}
      onvod-upload-error={(event) => console.warn(event.detail.error.code, event.detail.upload.name)}
      onvod-upload-reject={(event) => console.warn(event.detail.reason === 'too-large')}
    />
  );
}

export function Mistakes() {
  return (
    <div>
      {/* @ts-expect-error maxSize is a number */}
      <vod-uploader maxSize="big" />
      {/* @ts-expect-error signatureProvider is a function, not a URL */}
      <vod-uploader signatureProvider="/api/signature" />
      {/* @ts-expect-error the success detail has no `url` at its top */}
      <vod-uploader onvod-upload-success={(event) => event.detail.url} />
      {/* @ts-expect-error a reject event carries no upload */}
      <vod-uploader onvod-upload-reject={(event) => event.detail.upload} />
      {/* @ts-expect-error the ref is the element: it has no addFile */}
      <vod-uploader ref={(element) => element?.addFile([])} />
      {/* @ts-expect-error uploads is read-only: not a prop */}
      <vod-uploader uploads={[]} />
    </div>
  );
}
