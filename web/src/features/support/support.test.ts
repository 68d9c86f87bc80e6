import { describe, expect, it } from 'vitest';
import { configured, hoursIn } from './support';

const none = { email: null, phone: null, url: null, hours_ja: '', hours_en: '' };

describe('support contacts', () => {
  it('shows the hours in the current language', () => {
    const s = { ...none, hours_ja: '平日 9:00〜18:00', hours_en: 'Weekdays 9–18 JST' };
    expect(hoursIn(s, 'ja')).toBe('平日 9:00〜18:00');
    expect(hoursIn(s, 'en-US')).toBe('Weekdays 9–18 JST');
  });
  it('knows when nothing is configured', () => {
    expect(configured(none, 'ja')).toBe(false);
    expect(configured({ ...none, hours_en: 'x' }, 'ja')).toBe(false);
    expect(configured({ ...none, phone: '03-1234-5678' }, 'ja')).toBe(true);
  });
});
