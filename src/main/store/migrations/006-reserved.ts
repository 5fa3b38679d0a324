/**
 * Schema v6: RESERVED for another branch's migration (issue 17 was given 007). This empty step only
 * keeps versions gap-free on this branch; at the merge the real 006 replaces this file.
 */
export const version = 6;
export const name = 'reserved';
export const sql = ``;
