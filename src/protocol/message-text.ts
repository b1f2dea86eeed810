// How a server's text and a time limit appear inside error messages: shared by the upload client
// (client.ts, response.ts) and the signature sources (signature-source.ts).

/** A short, single-line excerpt of a body for messages. */
export function excerpt(body: string): string {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

/** A time limit as a message says it: "30 s", "800 ms". */
export function formatLimit(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}
