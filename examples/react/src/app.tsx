// Two routes (hash routing: a client-side route change unmounts the upload page and its element)
// and what lives above them: the page-wide upload indicator (`pageUploads` with
// useSyncExternalStore), the call counters of the function properties and the form's state.
import { useCallback, useMemo, useState, useSyncExternalStore } from 'react';
import { pageUploads } from 'vod-uploader';
import { UploadPage } from './upload-page.js';
import { makeSigning, runningLabel, type Calls, type Uploaded } from '../../shared/backend.js';

function subscribeHash(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}
const currentRoute = () => (location.hash === '#/about' ? 'about' : 'upload');

export function App() {
  const route = useSyncExternalStore(subscribeHash, currentRoute);
  const { running } = useSyncExternalStore(pageUploads.subscribe, pageUploads.getSnapshot);
  const [calls, setCalls] = useState<Calls>({ signature: 0, metadata: 0 });
  const [uploaded, setUploaded] = useState<Uploaded | undefined>();
  const [video, setVideo] = useState('');
  const count = useCallback((kind: keyof Calls) => setCalls((c) => ({ ...c, [kind]: c[kind] + 1 })), []);
  // Stable functions: the element keeps the same provider across renders.
  const signing = useMemo(() => makeSigning('React', count), [count]);

  return (
    <>
      <nav>
        <a href="#/upload">Upload</a> · <a href="#/about">About</a>
        <span data-testid="running">{runningLabel(running)}</span>
      </nav>
      {route === 'upload' ? (
        <UploadPage signing={signing} video={video} onVideo={setVideo} uploaded={uploaded} onUploaded={setUploaded} />
      ) : (
        <main>
          <h1>About</h1>
          <p>Uploads go on while you are here; come back to the upload page to see them.</p>
        </main>
      )}
      <dl>
        <dt>signatureProvider calls</dt>
        <dd data-testid="signature-calls">{calls.signature}</dd>
        <dt>metadata calls</dt>
        <dd data-testid="metadata-calls">{calls.metadata}</dd>
      </dl>
    </>
  );
}
