import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { Device } from './userAgent';

/** A device in words: "Chrome on Linux" / "Chrome（Linux）", or "Unknown device". */
export function useDeviceName() {
  const { t } = useTranslation();
  return useCallback(
    (d: Device) =>
      d.browser && d.os
        ? t('me.sessions.deviceName', { browser: d.browser, os: d.os })
        : (d.browser ?? d.os ?? t('me.sessions.unknownDevice')),
    [t],
  );
}
