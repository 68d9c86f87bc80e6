// Operator console → new notice: the form, then the notice's page.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { unwrap } from '../../api/errors';
import { opsApi } from '../../auth';
import { Page } from '../../components/Page';
import { NoticeEditor } from '../../features/ops/NoticeEditor';
import { emptyForm, toNoticeIn, type NoticeForm } from '../../features/ops/noticeForm';
import { okeys } from '../../features/ops/queries';
import '../../styles/admin.css';
import '../../styles/ops.css';
import '../../styles/pages.css';

export function Component() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const create = useMutation({
    mutationFn: async (f: NoticeForm) => unwrap(await opsApi.POST('/api/v1/ops/notices', { body: toNoticeIn(f) })),
    onSuccess: async (n) => {
      await qc.invalidateQueries({ queryKey: okeys.notices });
      navigate(`/ops/notices/${n.id}`, { state: { created: true } });
    },
  });
  return (
    <Page title={t('opsNotices.new')}>
      <NoticeEditor
        initial={emptyForm}
        busy={create.isPending}
        error={create.error}
        submitLabel={t('opsNotices.publish')}
        onSubmit={(f) => create.mutate(f)}
        onCancel={() => navigate('/ops/notices')}
      />
    </Page>
  );
}
