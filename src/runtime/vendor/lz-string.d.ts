declare const LZString: {
  compressToBase64(input: string): string;
  decompressFromBase64(input: string): string | null;
};
export default LZString;
