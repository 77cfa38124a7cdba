"use client";

import { useRouter } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { useDeleteDocument } from "./use-documents";

export function DeleteDocumentButton({ id, title }: { id: string; title: string }) {
  const router = useRouter();
  const remove = useDeleteDocument();
  return (
    <div className="space-y-2">
      <Button
        variant="danger"
        pending={remove.isPending}
        onClick={async () => {
          if (!window.confirm(`Delete "${title}" and all its chunks? Agents will no longer find it.`)) return;
          if (await remove.mutateAsync(id).then(() => true, () => false)) router.push("/documents");
        }}
      >
        Delete document
      </Button>
      {remove.isError && <Alert tone="error">{remove.error.message}</Alert>}
    </div>
  );
}
