// A phone number shown on My Page: enough to recognise it, not enough to use
// it. Japanese numbers in their usual grouping: +81 90-****-5678.

/** "+819012345678" → "+81 90-****-5678"; other countries keep the country
 * code (1 to 3 digits are guessed from the length) and the last four digits. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/[^\d]/g, '');
  const last4 = digits.slice(-4);
  if (digits.length < 7) return '*'.repeat(Math.max(0, digits.length - 2)) + digits.slice(-2);
  if (phone.trim().startsWith('+81') || (!phone.trim().startsWith('+') && digits.startsWith('0'))) {
    // National significant number: without the country code or the trunk 0.
    const national = phone.trim().startsWith('+') ? digits.slice(2) : digits.slice(1);
    // Mobiles (70/80/90) and 050 numbers have a two-digit prefix, the rest one.
    const prefix = /^[5789]0/.test(national) ? national.slice(0, 2) : national.slice(0, 1);
    return `+81 ${prefix}-****-${last4}`;
  }
  if (phone.trim().startsWith('+1')) return `+1 ***-***-${last4}`;
  const ccLength = phone.trim().startsWith('+') ? 2 : 0;
  const cc = ccLength ? `+${digits.slice(0, ccLength)} ` : '';
  const hidden = digits.length - ccLength - 4;
  return `${cc}${'*'.repeat(Math.max(hidden, 2))}${last4}`;
}
