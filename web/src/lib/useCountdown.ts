import { useEffect, useState } from 'react';

/** Whole seconds left until `until` (ms since epoch), ticking; 0 after. */
export function useCountdown(until: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  const running = until !== null && until > now;
  useEffect(() => {
    if (!running) return;
    const id = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(id);
  }, [running, until]);
  return until === null ? 0 : Math.max(0, Math.ceil((until - now) / 1000));
}
