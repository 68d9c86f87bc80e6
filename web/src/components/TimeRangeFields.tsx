// A time range typed in the user's zone (named in the labels), for filters
// whose URL and API take RFC 3339 instants: `useTimeRange` holds the inputs
// and their instants, `<TimeRangeFields>` shows them with the range's error.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isoToLocalInput, localInputToIso } from '../features/me/logFilters';
import { storedTimeZone } from '../lib/prefs';
import { zoneName } from '../lib/time';
import { TextField } from './TextField';

export interface TimeRange {
  from: string;
  to: string;
  setFrom: (v: string) => void;
  setTo: (v: string) => void;
  /** RFC 3339 (UTC), '' when empty. */
  fromIso: string;
  toIso: string;
  /** Either end open, or the end after the start. */
  ok: boolean;
  zoneLabel: string;
}

export function useTimeRange(fromIso: string, toIso: string): TimeRange {
  const zone = storedTimeZone();
  const [from, setFrom] = useState(isoToLocalInput(fromIso, zone));
  const [to, setTo] = useState(isoToLocalInput(toIso, zone));
  const a = localInputToIso(from, zone);
  const b = localInputToIso(to, zone);
  return { from, to, setFrom, setTo, fromIso: a, toIso: b, ok: !a || !b || a < b, zoneLabel: zoneName(new Date(), zone) };
}

/** The two fields; `showError` once the form was submitted. */
export function TimeRangeFields({ range, showError }: { range: TimeRange; showError: boolean }) {
  const { t } = useTranslation();
  const fields = [
    { name: 'from', value: range.from, set: range.setFrom, error: null },
    { name: 'to', value: range.to, set: range.setTo, error: showError && !range.ok ? t('me.log.rangeInvalid') : null },
  ] as const;
  return (
    <>
      {fields.map((f) => (
        <TextField
          key={f.name}
          label={t(`me.log.${f.name}`, { zone: range.zoneLabel })}
          name={f.name}
          type="datetime-local"
          value={f.value}
          onChange={(e) => f.set(e.target.value)}
          error={f.error}
        />
      ))}
    </>
  );
}
