// The protocol server's entry for code (tests, bench): everything lives in protocol-server.ts.
export * from './protocol-server.js';
