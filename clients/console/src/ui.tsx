// Shared pieces: every screen shows loading, empty and error states the same
// way, forms show the API's message at the field it names, and dialogs are
// real dialogs (the native <dialog>: focus moves in, Escape closes).
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { errorMessage } from "./api";

export function Page({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · usergraph`;
  }, [title]);
  return (
    <section aria-labelledby="page-title">
      <header className="page-head">
        <h1 id="page-title">{title}</h1>
        {actions && <div className="actions">{actions}</div>}
      </header>
      {children}
    </section>
  );
}

export function ErrorBanner({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <div role="alert" className="banner error">
      {errorMessage(error)}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" className="muted">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/** A labelled input with the API's error for it, announced and tied to it (aria-describedby). */
export function Field({
  label,
  error,
  hint,
  children,
}: {
  label: string;
  error?: string;
  hint?: string;
  children: (props: { id: string; "aria-invalid": boolean; "aria-describedby"?: string }) => ReactNode;
}) {
  const id = useId();
  const described = [error ? id + "-err" : "", hint ? id + "-hint" : ""].filter(Boolean).join(" ") || undefined;
  return (
    <div className={"field" + (error ? " invalid" : "")}>
      <label htmlFor={id}>{label}</label>
      {children({ id, "aria-invalid": !!error, "aria-describedby": described })}
      {hint && (
        <small id={id + "-hint"} className="muted">
          {hint}
        </small>
      )}
      {error && (
        <small id={id + "-err"} className="field-error" role="alert">
          {error}
        </small>
      )}
    </div>
  );
}

export function Dialog({ open, title, onClose, children }: { open: boolean; title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} aria-labelledby={id} onClose={onClose} onCancel={onClose}>
      <h2 id={id}>{title}</h2>
      {open && children}
    </dialog>
  );
}

/** Cursor paging controls: the API pages forward by cursor; the console keeps the cursors it passed to go back. */
export function Pager({
  hasNext,
  hasPrev,
  onNext,
  onPrev,
  total,
  exact,
}: {
  hasNext: boolean;
  hasPrev: boolean;
  onNext: () => void;
  onPrev: () => void;
  total?: number;
  exact?: boolean;
}) {
  return (
    <nav className="pager" aria-label="Pages">
      {total !== undefined && (
        <span className="muted">
          {total.toLocaleString()}
          {exact === false ? "+" : ""} in all
        </span>
      )}
      <button type="button" onClick={onPrev} disabled={!hasPrev}>
        Previous
      </button>
      <button type="button" onClick={onNext} disabled={!hasNext}>
        Next
      </button>
    </nav>
  );
}

export function Time({ at }: { at?: string | null }) {
  if (!at) return <span className="muted">—</span>;
  const d = new Date(at);
  return <time dateTime={at}>{d.toLocaleString()}</time>;
}

export function Json({ value }: { value: unknown }) {
  return <code className="json">{JSON.stringify(value)}</code>;
}

/** Cursor paging state: the cursors passed so far, to go back; restart on a new filter. */
export function useCursors() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return {
    after: cursors[cursors.length - 1] ?? null,
    restart: () => setCursors([null]),
    /** The pager under a page of a cursor-paged list. */
    pager: (page: { totalCount: number; totalCountExact?: boolean; pageInfo: { hasNextPage: boolean; endCursor?: string | null } }) => (
      <Pager
        total={page.totalCount}
        exact={page.totalCountExact}
        hasNext={page.pageInfo.hasNextPage}
        hasPrev={cursors.length > 1}
        onNext={() => page.pageInfo.endCursor && setCursors([...cursors, page.pageInfo.endCursor])}
        onPrev={() => setCursors(cursors.slice(0, -1))}
      />
    ),
  };
}
