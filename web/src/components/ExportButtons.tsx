// "Export CSV" / "Export JSONL": each runs `download` (a fetch with the token
// and saveBlob), shows its spinner meanwhile and the error when it fails.
import { useState } from 'react';
import { ErrorMessage } from './Alert';
import { Button } from './Button';

export type ExportFormat = 'csv' | 'jsonl';

export interface ExportButtonsProps {
  download: (format: ExportFormat) => Promise<void>;
  labels: Record<ExportFormat, string>;
}

export function ExportButtons({ download, labels }: ExportButtonsProps) {
  const [busy, setBusy] = useState<ExportFormat | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function run(format: ExportFormat) {
    setBusy(format);
    setError(null);
    try {
      await download(format);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  }
  return (
    <div className="filter-actions log-export">
      {(['csv', 'jsonl'] as const).map((format) => (
        <Button key={format} busy={busy === format} onClick={() => void run(format)}>
          {labels[format]}
        </Button>
      ))}
      {error != null && <ErrorMessage error={error} />}
    </div>
  );
}
