import Link from "next/link";

/** What forbidden() renders, with a 403. */
export default function Forbidden() {
  return (
    <div className="mx-auto max-w-md py-16 text-center">
      <h1 className="text-2xl font-bold tracking-tight">Not for this account</h1>
      <p className="mt-2 text-sm text-slate-600">This page is for platform admins. If you should have access, ask an admin.</p>
      <Link href="/" className="mt-4 inline-block text-sm font-medium text-brand-700 underline">
        Back home
      </Link>
    </div>
  );
}
