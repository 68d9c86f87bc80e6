// My Page's sections (child routes of /me) and the focus move when one is
// opened from the section navigation.
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { usePageTitle } from '../../components/Page';

export const ME_SECTIONS = [
  { to: '/me', label: 'me.tab.profile' },
  { to: '/me/password', label: 'me.tab.password' },
  { to: '/me/access-log', label: 'me.tab.accessLog' },
  { to: '/me/sessions', label: 'me.tab.sessions' },
] as const;

/** The document title "<section> | My Page — Crepo", and the section heading
 * focused when the user came by the section navigation (so a screen reader
 * starts reading at the new section). Returns the heading's ref. */
export function useSection(label: (typeof ME_SECTIONS)[number]['label']) {
  const { t } = useTranslation();
  usePageTitle(t('me.pageTitle', { section: t(label) }));
  const heading = useRef<HTMLHeadingElement>(null);
  const location = useLocation();
  const focus = (location.state as { focusSection?: boolean } | null)?.focusSection === true;
  useEffect(() => {
    if (focus) heading.current?.focus();
  }, [focus, location.key]);
  return heading;
}
