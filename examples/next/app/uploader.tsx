'use client';
// <vod-uploader> in a client component. Importing the package is safe on the server (it touches no
// window, document, Worker or indexedDB there): the server renders the tag with its attributes and
// the browser upgrades it. React 19 sets no property and adds no `on…` listener on a custom element
// it hydrates (react#35446, open), only on one it creates: so the element is keyed to be created
// anew once, right after hydration, and from then on React sets them as usual. The server's element
// is `disabled` (no file can be chosen into an element that cannot sign yet); the new one is not.
import 'vod-uploader/vod-uploader.js';
import type {} from 'vod-uploader/react';
import type { VodUploaderElement, VodUploadSuccessEvent } from 'vod-uploader';
import { useSyncExternalStore } from 'react';
import { useAppState } from './app-state';
import { APPID, BUCKET, ENDPOINT } from '../../shared/backend';

const noSubscription = () => () => {};
/** false while hydrating (the server's answer), true from the render after hydration on. */
function useHydrated(): boolean {
  return useSyncExternalStore(noSubscription, () => true, () => false);
}

export function Uploader() {
  const { signing, video, setVideo, uploaded, setUploaded } = useAppState();
  const hydrated = useHydrated();
  const onSuccess = (event: VodUploadSuccessEvent) => {
    const { resourcePath, accessUrl } = event.detail.result;
    setUploaded({ resourcePath, accessUrl });
  };
  return (
    <>
      <form onSubmit={(e) => e.preventDefault()}>
        <vod-uploader
          key={hydrated ? 'client' : 'server'}
          // Until then it has no signature provider: a file chosen into it would fail to sign.
          disabled={!hydrated}
          endpoint={ENDPOINT}
          appid={APPID}
          bucket={BUCKET}
          folder="next"
          name="video"
          signatureProvider={signing.signatureProvider}
          metadata={signing.metadata}
          onvod-upload-success={onSuccess}
          onchange={(e) => setVideo((e.target as VodUploaderElement).value)}
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
    </>
  );
}
