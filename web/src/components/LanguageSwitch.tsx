import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { setLang } from '../i18n';
import { LANGS, type Lang } from '../lib/prefs';

/** The language switch (Japanese or English), remembered in localStorage. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const id = useId();
  return (
    <div className="lang-switch">
      <label htmlFor={id} className="visually-hidden">
        {t('lang.label')}
      </label>
      <select id={id} className="select select-small" value={i18n.language} onChange={(e) => setLang(e.target.value as Lang)}>
        {LANGS.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(`lang.${l}`)}
          </option>
        ))}
      </select>
    </div>
  );
}
