import { describe, expect, it } from 'vitest';
import { ajax, esbFail, esbOk, V1, V2, v1Fail, v1Ok, v2Fail, v2Ok } from './envelopes';

describe('envelopes', () => {
  it('v1 uses string codes with "00" for success', () => {
    expect(v1Ok({ username: 'a' })).toEqual({
      result: true,
      code: '00',
      message: 'OK',
      data: { username: 'a' },
    });
    expect(v1Fail(V1.INVALID_TOKEN, 'bad')).toEqual({
      result: false,
      code: '1200',
      message: 'bad',
      data: {},
    });
  });
  it('v2 uses integer bk_error_code with 0 for success', () => {
    expect(v2Ok({ bk_username: 'a' })).toEqual({
      result: true,
      bk_error_code: 0,
      bk_error_msg: 'OK',
      data: { bk_username: 'a' },
    });
    expect(v2Fail(V2.INVALID_TOKEN, 'bad')).toEqual({
      result: false,
      bk_error_code: 1302100,
      bk_error_msg: 'bad',
      data: {},
    });
  });
  it('esb envelope carries request_id and defaults codes to 0 / 1306000', () => {
    expect(esbOk([1], 'r1')).toEqual({ result: true, code: 0, message: '', data: [1], request_id: 'r1' });
    expect(esbOk({}, 'r2', 'ok', '00').code).toBe('00');
    expect(esbFail('no', 'r3')).toEqual({
      result: false,
      code: 1306000,
      message: 'no',
      data: null,
      request_id: 'r3',
    });
  });
  it('ajax merges extra fields', () => {
    expect(ajax(true, 'done', { id: 3 })).toEqual({ result: true, message: 'done', id: 3 });
  });
});
