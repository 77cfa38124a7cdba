/** A provider's logo, or its initial on a tile when it has none. */
export function ProviderLogo({ name, logoUrl, size = 64 }: { name: string; logoUrl: string | null; size?: number }) {
  const box = { width: size, height: size };
  if (logoUrl) {
    // A small uploaded image from our own route (no next/image optimisation for user uploads).
    // eslint-disable-next-line @next/next/no-img-element
    return <img src={logoUrl} alt={`${name} logo`} {...box} className="shrink-0 rounded-lg object-contain ring-1 ring-slate-200" />;
  }
  return (
    <span aria-hidden="true" style={box} className="flex shrink-0 items-center justify-center rounded-lg bg-brand-50 text-2xl font-bold text-brand-700 ring-1 ring-slate-200">
      {name.slice(0, 1).toUpperCase()}
    </span>
  );
}
