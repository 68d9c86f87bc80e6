import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { labelsQuery } from '../projects/queries';
import type { PermissionInfo } from './queries';
import { describeRole, type RoleShape } from './roleSentence';

/** describeRole in the user's language, with the scope's label names looked up. */
export function useRoleSentence(role: RoleShape & { scope: { label_ids?: string[] } }, catalogue: readonly PermissionInfo[]): string {
  const { t, i18n } = useTranslation();
  const ids = role.scope.kind === 'labels' ? (role.scope.label_ids ?? []) : [];
  const labels = useQuery({ ...labelsQuery, enabled: ids.length > 0 });
  const names = ids.map((id) => labels.data?.find((l) => l.id === id)?.name ?? '…');
  return describeRole(role, names, catalogue, t, i18n.language);
}
