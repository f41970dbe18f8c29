import Link from "next/link";

export default function NotFound() {
  return (
    <section className="empty">
      <h1>Not found</h1>
      <p>That page or account does not exist.</p>
      <Link className="button" href="/">Go home</Link>
    </section>
  );
}
