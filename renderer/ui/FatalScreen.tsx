/** Shown when a window cannot start at all (no host connection, no token). */
export function FatalScreen({ message }: { message: string }) {
  return (
    <div className="fatal" role="alert" data-testid="fatal">
      <p>{message}</p>
    </div>
  );
}
