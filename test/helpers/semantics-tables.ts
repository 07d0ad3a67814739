/** SEMANTICS.md, "Checks from SystemC (8-bit signed, k = 1)": inputs x/2 for raw x, rows verbatim. */
export const K1_INPUTS = [5, 3, 1, -1, -3, -5];
export const SYSTEMC_K1: Readonly<Record<string, readonly number[]>> = {
  TRN: [2, 1, 0, -1, -2, -3],
  TRN_ZERO: [2, 1, 0, 0, -1, -2],
  RND: [3, 2, 1, 0, -1, -2],
  RND_ZERO: [2, 1, 0, 0, -1, -2],
  RND_MIN_INF: [2, 1, 0, -1, -2, -3],
  RND_INF: [3, 2, 1, -1, -2, -3],
  RND_CONV: [2, 2, 0, 0, -2, -2],
};
