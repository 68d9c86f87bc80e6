// The label code rules of the server (api/src/values: LabelCode::parse and
// jan()), so the form can say what is wrong while the user types. The server
// still decides: its 422 is shown as well.

export const CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export type CodeCheck = 'ok' | 'empty' | 'invalid_format' | 'invalid_jan' | 'invalid_check_digit';

/** The check digit a JAN/EAN body (7 or 12 digits) needs: weights 3, 1, 3, …
 * from the rightmost body digit leftwards. */
export function janCheckDigit(body: string): number {
  let sum = 0;
  [...body].reverse().forEach((c, i) => {
    const d = c.charCodeAt(0) - 48;
    sum += i % 2 === 0 ? d * 3 : d;
  });
  return (10 - (sum % 10)) % 10;
}

/** The code as the server would judge it; `jan` adds the JAN (EAN-8/13) rule. */
export function checkLabelCode(code: string, jan: boolean): CodeCheck {
  if (code === '') return 'empty';
  if (!CODE_PATTERN.test(code)) return 'invalid_format';
  if (!jan) return 'ok';
  if (!(code.length === 8 || code.length === 13) || !/^[0-9]+$/.test(code)) return 'invalid_jan';
  const check = code.charCodeAt(code.length - 1) - 48;
  return janCheckDigit(code.slice(0, -1)) === check ? 'ok' : 'invalid_check_digit';
}
