import { useEffect, useState } from 'react';
import { getReadiness, type Readiness } from './api/client';

/** The shell: shows whether the service is ready. Features arrive with their issues. */
export function App() {
  const [readiness, setReadiness] = useState<Readiness | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    getReadiness().then(setReadiness, (e: unknown) => setError(String(e)));
  }, []);

  return (
    <main>
      <h1>Crepo</h1>
      <p>パッケージデザインの案件管理 / Package design projects</p>
      {readiness && (
        <p data-testid="readiness">
          サービス状態 / Service: {readiness.status}
        </p>
      )}
      {error && <p role="alert">{error}</p>}
    </main>
  );
}
