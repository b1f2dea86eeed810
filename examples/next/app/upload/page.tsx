// A server component: the page's HTML, <vod-uploader> with its attributes included, is rendered on
// the server; the client component upgrades and wires it after hydration.
import { Uploader } from '../uploader';

export default function UploadPage() {
  return (
    <main>
      <h1>Upload</h1>
      <Uploader />
    </main>
  );
}
