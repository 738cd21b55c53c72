import { decodeTokenIds } from '../core/format/token-ids.ts';
import type { PositionsInput } from '../core/format/postings.ts';

/**
 * Every term's body positions in a segment, from its rows' body token ids (`TokensPart` strings,
 * ids into the segment's sorted terms): two counting passes into flat typed arrays (~12 bytes per
 * body token while the segment is written), not an array per term. `positionsOf(i)` is the input
 * `encodePostings` takes for term i: its rows in order, each with its positions in order.
 */
export function bodyPositions(bodyIds: readonly string[], termCount: number): (termIndex: number) => PositionsInput {
  let longest = 0;
  for (const s of bodyIds) longest = Math.max(longest, s.length);
  const buf = new Uint32Array(longest);
  const posCount = new Uint32Array(termCount);
  const rowCount = new Uint32Array(termCount);
  const lastRow = new Int32Array(termCount).fill(-1);
  for (let row = 0; row < bodyIds.length; row++) {
    const n = decodeTokenIds(bodyIds[row] as string, buf);
    for (let p = 0; p < n; p++) {
      const id = buf[p] as number;
      posCount[id] = (posCount[id] as number) + 1;
      if (lastRow[id] !== row) {
        lastRow[id] = row;
        rowCount[id] = (rowCount[id] as number) + 1;
      }
    }
  }
  const rowStart = new Uint32Array(termCount + 1);
  const posStart = new Uint32Array(termCount + 1);
  for (let i = 0; i < termCount; i++) {
    rowStart[i + 1] = (rowStart[i] as number) + (rowCount[i] as number);
    posStart[i + 1] = (posStart[i] as number) + (posCount[i] as number);
  }
  const totalRows = rowStart[termCount] as number;
  const rows = new Uint32Array(totalRows);
  // rowPos[k]: where row entry k's positions start in `pos`; rowPos[totalRows] ends the last one.
  const rowPos = new Uint32Array(totalRows + 1);
  const pos = new Uint32Array(posStart[termCount] as number);
  const rowCursor = rowStart.slice(0, termCount);
  const posCursor = posStart.slice(0, termCount);
  lastRow.fill(-1);
  for (let row = 0; row < bodyIds.length; row++) {
    const n = decodeTokenIds(bodyIds[row] as string, buf);
    for (let p = 0; p < n; p++) {
      const id = buf[p] as number;
      if (lastRow[id] !== row) {
        lastRow[id] = row;
        const k = rowCursor[id] as number;
        rows[k] = row;
        rowPos[k] = posCursor[id] as number;
        rowCursor[id] = k + 1;
      }
      pos[posCursor[id] as number] = p;
      posCursor[id] = (posCursor[id] as number) + 1;
    }
  }
  rowPos[totalRows] = pos.length;
  return (i) => ({
    rows: rows.subarray(rowStart[i], rowStart[i + 1]),
    starts: rowPos.subarray(rowStart[i], (rowStart[i + 1] as number) + 1),
    pos,
  });
}
