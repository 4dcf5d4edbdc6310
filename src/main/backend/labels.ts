/** Ground-truth labels as codes: the distinct values sorted (numerically when all are numbers), as scikit-learn's LabelEncoder. */
export function encodeLabels(values: readonly string[]): { classes: string[]; codes: Int32Array } {
  const distinct = [...new Set(values)];
  const numeric = distinct.every((v) => v.trim() !== '' && Number.isFinite(Number(v)));
  distinct.sort(numeric ? (a, b) => Number(a) - Number(b) : (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(distinct.map((v, i) => [v, i]));
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) codes[i] = index.get(values[i])!;
  return { classes: distinct, codes };
}
