// Reads the Content-Length of a header block straight from the octets: header names compared
// case-insensitively ("Content-Length" or its compact form "l"), the value digits only with optional
// surrounding whitespace. No regex, no string built for lines that are not Content-Length.

/** No Content-Length header in the block. */
export const CONTENT_LENGTH_ABSENT = -1;
/** A value that is not digits only (sign, letters, empty). */
export const CONTENT_LENGTH_INVALID = -2;
/** Several Content-Length headers with different values. */
export const CONTENT_LENGTH_CONFLICT = -3;
/** More than `max` (or too many digits to represent). */
export const CONTENT_LENGTH_TOO_LARGE = -4;

const CR = 13;
const LF = 10;
const SP = 32;
const HTAB = 9;
const COLON = 58;
const NAME = 'content-length';

function isWhitespace(b: number): boolean {
  return b === SP || b === HTAB;
}

/** True when block[from, to) is a header name equal to "content-length" or "l", ignoring case. */
function isContentLengthName(block: Buffer, from: number, to: number): boolean {
  const len = to - from;
  if (len === 1) return (block[from]! | 0x20) === 0x6c;
  if (len !== NAME.length) return false;
  for (let i = 0; i < len; i++) {
    const b = block[from + i]!;
    const lower = b >= 65 && b <= 90 ? b | 0x20 : b;
    if (lower !== NAME.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * Parses the value that starts at `from` and runs to the end of its (possibly folded) header line.
 * Returns the number, CONTENT_LENGTH_INVALID or CONTENT_LENGTH_TOO_LARGE, and where the line ends.
 */
function readValue(block: Buffer, from: number, end: number, max: number): number {
  let i = from;
  let value = 0;
  let digits = 0;
  let afterDigits = false;
  while (i < end) {
    const b = block[i]!;
    if (b === CR && i + 1 < end && block[i + 1] === LF) {
      // Folded continuation: the next line starts with whitespace.
      if (i + 2 < end && isWhitespace(block[i + 2]!)) {
        if (digits > 0) afterDigits = true;
        i += 3;
        continue;
      }
      break;
    }
    if (b >= 48 && b <= 57) {
      if (afterDigits) return CONTENT_LENGTH_INVALID;
      digits++;
      if (digits > 12) return CONTENT_LENGTH_TOO_LARGE;
      value = value * 10 + (b - 48);
    } else if (isWhitespace(b)) {
      if (digits > 0) afterDigits = true;
    } else {
      return CONTENT_LENGTH_INVALID;
    }
    i++;
  }
  if (digits === 0) return CONTENT_LENGTH_INVALID;
  return value > max ? CONTENT_LENGTH_TOO_LARGE : value;
}

/**
 * Content-Length of the header block block[start, end) (end just past the blank line), or one of the
 * negative CONTENT_LENGTH_* codes. The start line is skipped.
 */
export function readContentLength(block: Buffer, start: number, end: number, max: number): number {
  let found = CONTENT_LENGTH_ABSENT;
  // Skip the start line.
  let line = block.indexOf(LF, start);
  if (line < 0 || line >= end) return CONTENT_LENGTH_ABSENT;
  line++;
  while (line < end) {
    const first = block[line]!;
    if (first === CR) break; // blank line: end of headers
    if (!isWhitespace(first)) {
      // Header name runs to the colon or to whitespace before it.
      let nameEnd = line;
      while (nameEnd < end) {
        const b = block[nameEnd]!;
        if (b === COLON || isWhitespace(b) || b === CR || b === LF) break;
        nameEnd++;
      }
      if (isContentLengthName(block, line, nameEnd)) {
        let colon = nameEnd;
        while (colon < end && isWhitespace(block[colon]!)) colon++;
        if (colon < end && block[colon] === COLON) {
          const value = readValue(block, colon + 1, end, max);
          if (value < 0) return value;
          if (found >= 0 && found !== value) return CONTENT_LENGTH_CONFLICT;
          found = value;
        }
      }
    }
    const next = block.indexOf(LF, line);
    if (next < 0 || next >= end) break;
    line = next + 1;
  }
  return found;
}
