"use client";

import { useRef, useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextAreaField } from "@/components/ui/field";
import { REPORT_REASON_MAX } from "@/lib/packages/package-review-schemas";
import { useReviewMutation } from "./reviews-hooks";

/** "Report": a modal dialog (focus kept inside, Escape closes) asking why, sent to the admins' queue. */
export function ReportReviewDialog({ slug, reviewId, workspaceName }: { slug: string; reviewId: string; workspaceName: string }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState("");
  const send = useReviewMutation(slug, (r: string) => ({ path: `/${reviewId}/report`, method: "POST", body: { reason: r } }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    send.mutate(reason);
  };
  if (send.isSuccess) return <p className="text-xs text-slate-500">Reported. An admin will look at it.</p>;
  return (
    <>
      <Button type="button" variant="ghost" className="px-2 py-1 text-xs" onClick={() => dialog.current?.showModal()}>
        Report
      </Button>
      <dialog ref={dialog} aria-labelledby={`report-${reviewId}`} className="m-auto w-[min(32rem,calc(100vw-2rem))] rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40">
        <form onSubmit={submit} className="space-y-3 p-5">
          <h3 id={`report-${reviewId}`} className="text-base font-semibold text-slate-900">
            Report {workspaceName}&apos;s review
          </h3>
          <TextAreaField label="Why should an admin look at it?" name="reason" rows={3} maxLength={REPORT_REASON_MAX} value={reason} onChange={(e) => setReason(e.target.value)} hint={`Up to ${REPORT_REASON_MAX} characters.`} />
          {send.error && <Alert tone="error">{send.error.message}</Alert>}
          <div className="flex flex-wrap justify-end gap-2">
            <Button type="button" variant="ghost" onClick={() => dialog.current?.close()}>
              Cancel
            </Button>
            <Button type="submit" variant="danger" pending={send.isPending} disabled={reason.trim().length === 0}>
              Send report
            </Button>
          </div>
        </form>
      </dialog>
    </>
  );
}
