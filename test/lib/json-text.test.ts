import { describe, expect, it } from 'vitest';
import { decodeUtf8, invalidUtf8Offset, jsonValueProblem, MAX_JSON_DEPTH, parseJsonText } from '../../shared/lib/json-text';

describe('decodeUtf8', () => {
  it('decodes UTF-8, including 4-byte sequences', () => {
    expect(decodeUtf8(Buffer.from('é €😀'))).toEqual({ ok: true, value: 'é €😀' });
  });

  it.each([
    ['a lone continuation byte', [0x61, 0x80], 1],
    ['0xff', [0x61, 0x62, 0xff], 2],
    ['an overlong "/"', [0xc0, 0xaf], 0],
    ['an encoded surrogate (CESU-8)', [0xed, 0xa0, 0x80], 0],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['a truncated sequence', [0x61, 0xe2, 0x82], 1],
  ])('refuses %s, naming the byte', (_what, bytes, at) => {
    const r = decodeUtf8(Uint8Array.from(bytes));
    expect(invalidUtf8Offset(Uint8Array.from(bytes))).toBe(at);
    expect(r).toMatchObject({ ok: false, path: '(body)', reason: `not valid UTF-8 (0x${bytes[at]!.toString(16).padStart(2, '0')} at byte ${at})` });
  });

  it('agrees with the strict decoder on every 2-byte sequence', () => {
    const disagree: string[] = [];
    for (let a = 0; a < 256; a++) {
      for (let b = 0; b < 256; b++) {
        const bytes = Uint8Array.from([a, b]);
        if ((invalidUtf8Offset(bytes) === -1) !== decodeUtf8(bytes).ok) disagree.push(`${a} ${b}`);
      }
    }
    expect(disagree).toEqual([]);
  });
});

describe('parseJsonText', () => {
  it('parses JSON with surrogate pairs', () => {
    expect(parseJsonText('{"a":"\\ud83d\\ude00"}')).toEqual({ ok: true, value: { a: '😀' } });
  });

  it('names the field that holds a lone surrogate, in a value or a key', () => {
    expect(parseJsonText('{"events":[{"data":{"name":"x\\ud800"}}]}')).toMatchObject({ ok: false, path: 'events[0].data.name', reason: expect.stringContaining('lone surrogate (\\ud800)') });
    expect(parseJsonText('{"a":{"\\udfff":1}}')).toMatchObject({ ok: false, path: 'a["\\udfff"]' });
    expect(parseJsonText('"\\udc00\\ud800"')).toMatchObject({ ok: false, path: '(body)' });
  });

  it('refuses nesting deeper than the limit without overflowing the stack', () => {
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    expect(parseJsonText(deep(MAX_JSON_DEPTH)).ok).toBe(true);
    expect(parseJsonText(deep(MAX_JSON_DEPTH + 1))).toMatchObject({ ok: false, reason: `is nested deeper than ${MAX_JSON_DEPTH} levels` });
    expect(jsonValueProblem(JSON.parse(deep(200_000)))).toMatchObject({ message: expect.stringContaining('nested deeper') });
  });

  it('says when the text is not JSON', () => {
    expect(parseJsonText('{x', 'The line')).toMatchObject({ ok: false, path: '(body)', message: expect.stringMatching(/^The line is not valid JSON: /) });
  });
});
