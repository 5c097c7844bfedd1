import { type FormEvent, useState } from "react";
import { useSearchParams } from "react-router";
import type { ResultOf } from "../../graphql/graphql.js";
import { publicRequest, TrackQuery } from "./public-api.js";
import { usePublicText } from "./public-messages.js";
import { PublicShell } from "./public-shell.js";

type Tracked = Extract<ResultOf<typeof TrackQuery>["publicTicket"], { __typename: "PublicTicketSuccess" }>["ticket"];

/** `/lacak`: a citizen follows their ticket with its number and tracking code. */
export function TrackPage() {
  const { text } = usePublicText();
  const [params] = useSearchParams();
  const [number, setNumber] = useState(params.get("nomor") ?? "");
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [ticket, setTicket] = useState<Tracked | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      const { publicTicket: result } = await publicRequest(TrackQuery, { number: number.trim(), trackingCode: code });
      if (result.__typename === "PublicTicketSuccess") setTicket(result.ticket);
      else {
        setTicket(null);
        if (result.__typename === "PublicLimitError") {
          setFailure(text("errorPUBLIC_LIMIT_REACHED", { s: result.retryAfterSeconds }));
        } else setFailure(text("errorNOT_FOUND"));
      }
    } catch {
      setFailure(text("errorOther"));
    } finally {
      setBusy(false);
    }
  };

  return (
    <PublicShell title={text("trackTitle")}>
      <form className="public-form" onSubmit={(event) => void submit(event)}>
        <p className="muted">{text("trackIntro")}</p>
        <div className="public-row">
          <label>
            {text("number")}
            <input
              name="number"
              required
              maxLength={32}
              placeholder="IMI-2026-0000000"
              value={number}
              onChange={(event) => setNumber(event.target.value)}
            />
          </label>
          <label>
            {text("code")}
            <input
              name="code"
              required
              maxLength={64}
              autoComplete="off"
              placeholder="XXXX-XXXX-XXXX-XXXX-XXXX"
              value={code}
              onChange={(event) => setCode(event.target.value)}
            />
          </label>
        </div>
        {failure ? (
          <p className="public-alert" role="alert">
            {failure}
          </p>
        ) : null}
        <button type="submit" disabled={busy}>
          {busy ? text("tracking") : text("track")}
        </button>
      </form>
      {ticket ? <TrackedTicket ticket={ticket} /> : null}
    </PublicShell>
  );
}

function TrackedTicket({ ticket }: { ticket: Tracked }) {
  const { text, label, dateTime } = usePublicText();
  const zone = ticket.unit.timeZone;
  return (
    <section className="public-card" aria-labelledby="tracked-title" data-testid="public-ticket">
      <h2 id="tracked-title">
        {ticket.number}: {ticket.subject}
      </h2>
      <dl className="public-facts">
        <dt>{text("status")}</dt>
        <dd data-testid="public-status">{label(ticket.status)}</dd>
        <dt>{text("kind")}</dt>
        <dd>{label(ticket.kind)}</dd>
        <dt>{text("handledBy")}</dt>
        <dd>
          {ticket.unit.name}
          {ticket.unit.city ? `, ${ticket.unit.city}` : ""}
        </dd>
        <dt>{text("receivedAt")}</dt>
        <dd>{dateTime(ticket.createdAt, zone)}</dd>
        {ticket.nextDue ? (
          <>
            <dt>{text("nextDue")}</dt>
            <dd data-testid="public-next-due">{dateTime(ticket.nextDue.at, ticket.nextDue.timeZone)}</dd>
          </>
        ) : null}
        {ticket.outcome ? (
          <>
            <dt>{text("outcome")}</dt>
            <dd data-testid="public-outcome">
              {text(ticket.outcome.kind === "RESOLVED" ? "outcomeRESOLVED" : "outcomeREJECTED")} (
              {dateTime(ticket.outcome.at, zone)}){ticket.outcome.message ? `: ${ticket.outcome.message}` : ""}
            </dd>
          </>
        ) : null}
      </dl>
      <h3>{text("replies")}</h3>
      {ticket.replies.length ? (
        <ol className="public-replies" data-testid="public-replies">
          {ticket.replies.map((reply) => (
            <li key={`${reply.at}-${reply.body.slice(0, 16)}`}>
              <div className="muted">{dateTime(reply.at, zone)}</div>
              {reply.body}
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">{text("noReplies")}</p>
      )}
    </section>
  );
}
