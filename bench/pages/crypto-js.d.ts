// The few crypto-js calls the hash baseline uses (the package ships no types, @types/crypto-js is not installed).
declare module 'crypto-js' {
  interface WordArray {
    toString(): string;
  }
  interface Hasher {
    update(data: WordArray): Hasher;
    finalize(): WordArray;
  }
  const CryptoJS: {
    lib: { WordArray: { create(data: ArrayBuffer | Uint8Array): WordArray } };
    algo: { SHA1: { create(): Hasher } };
  };
  export default CryptoJS;
}
