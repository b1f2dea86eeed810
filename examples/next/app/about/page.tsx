export default function About() {
  return (
    <main>
      <h1>About</h1>
      <p>Uploads go on while you are here; come back to the upload page to see them.</p>
    </main>
  );
}
