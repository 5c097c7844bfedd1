import { type FormEvent, useEffect, useMemo, useRef, useState } from "react";
import { Link } from "react-router";
import { ErrorMessage, Loading } from "../../components/ui.js";
import type { ResultOf } from "../../graphql/graphql.js";
import { solveChallenge } from "./proof-of-work.js";
import {
  ChallengeQuery,
  type Directory,
  DirectoryQuery,
  type PublicUnit,
  publicRequest,
  SubmitMutation,
} from "./public-api.js";
import { type PublicMessageKey, usePublicText } from "./public-messages.js";
import { PublicShell } from "./public-shell.js";

const KINDS = [
  "INFORMATION_REQUEST",
  "COMPLAINT",
  "ASPIRATION",
  "APPRECIATION",
  "VIOLATION_REPORT",
  "WHISTLEBLOWING",
] as const;
type Kind = (typeof KINDS)[number];

type Submitted = Extract<
  ResultOf<typeof SubmitMutation>["submitPublicReport"],
  { __typename: "SubmitPublicReportSuccess" }
>["report"];

const FIELD_LABELS: Record<string, PublicMessageKey> = {
  description: "description",
  subject: "subject",
  contact: "contactTitle",
  "contact.email": "email",
  "contact.phone": "phone",
  "contact.name": "name",
};

/** `/lapor`: the citizens' web form. */
export function ReportPage() {
  const { text } = usePublicText();
  const [directory, setDirectory] = useState<Directory | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [submitted, setSubmitted] = useState<Submitted | null>(null);
  useEffect(() => {
    publicRequest(DirectoryQuery, {})
      .then(setDirectory)
      .catch((error: Error) => setLoadError(error.message));
  }, []);
  return (
    <PublicShell title={text("reportTitle")}>
      {submitted ? (
        <Receipt report={submitted} onAnother={() => setSubmitted(null)} />
      ) : loadError ? (
        <ErrorMessage error={loadError} />
      ) : !directory ? (
        <Loading />
      ) : (
        <ReportForm directory={directory} onSubmitted={setSubmitted} />
      )}
    </PublicShell>
  );
}

function ReportForm({ directory, onSubmitted }: { directory: Directory; onSubmitted(report: Submitted): void }) {
  const { text, label, language } = usePublicText();
  const [kind, setKind] = useState<Kind>("COMPLAINT");
  const [categoryCode, setCategoryCode] = useState("");
  const [province, setProvince] = useState("");
  const [unitCode, setUnitCode] = useState("");
  const [subject, setSubject] = useState("");
  const [description, setDescription] = useState("");
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [phone, setPhone] = useState("");
  const [consent, setConsent] = useState(false);
  const [website, setWebsite] = useState("");
  const [phase, setPhase] = useState<"idle" | "verifying" | "sending">("idle");
  const [failure, setFailure] = useState<string | null>(null);
  const leaving = useRef(new AbortController());
  useEffect(() => () => leaving.current.abort(), []);

  const provinces = useMemo(
    () => [...new Set(directory.publicUnits.map((unit) => unit.provinceName))].sort((a, b) => a.localeCompare(b, "id")),
    [directory],
  );
  const byCity = useMemo(() => {
    const groups = new Map<string, PublicUnit[]>();
    for (const unit of directory.publicUnits.filter((u) => u.provinceName === province)) {
      const city = unit.city ?? unit.provinceName;
      groups.set(city, [...(groups.get(city) ?? []), unit]);
    }
    return [...groups.entries()];
  }, [directory, province]);
  const categoryName = (c: { name: string; nameEn: string }) => (language === "en" ? c.nameEn : c.name);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    if (!consent) {
      setFailure(text("errorCONSENT_REQUIRED"));
      return;
    }
    try {
      setPhase("verifying");
      const { publicReportChallenge: challenge } = await publicRequest(ChallengeQuery, {});
      const nonce = await solveChallenge(challenge.token, challenge.bits, { signal: leaving.current.signal });
      setPhase("sending");
      const { submitPublicReport: result } = await publicRequest(SubmitMutation, {
        input: {
          kind,
          unitCode,
          categoryCode: categoryCode || null,
          subject: subject.trim() || null,
          description,
          contact: { name: name.trim() || null, email: email.trim() || null, phone: phone.trim() || null },
          consent,
          website: website || null,
          challenge: challenge.token,
          nonce,
        },
      });
      if (result.__typename === "SubmitPublicReportSuccess") {
        onSubmitted(result.report);
        return;
      }
      setFailure(describeFailure(result, text));
    } catch (error) {
      if ((error as Error).name === "AbortError") return;
      setFailure((error as Error).message.includes("Web Crypto") ? text("noCrypto") : text("errorOther"));
    } finally {
      setPhase("idle");
    }
  };

  return (
    <form className="public-form" onSubmit={(event) => void submit(event)} aria-describedby="report-intro">
      <p id="report-intro" className="muted">
        {text("reportIntro")}
      </p>
      <div className="public-row">
        <label>
          {text("kind")}
          <select name="kind" value={kind} onChange={(event) => setKind(event.target.value as Kind)}>
            {KINDS.map((value) => (
              <option key={value} value={value}>
                {label(value)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {text("category")}
          <select name="category" value={categoryCode} onChange={(event) => setCategoryCode(event.target.value)}>
            <option value="">{text("categoryNone")}</option>
            {directory.publicCategories.map((category) =>
              category.children.length ? (
                <optgroup key={category.code} label={categoryName(category)}>
                  {category.children.map((child) => (
                    <option key={child.code} value={child.code}>
                      {categoryName(child)}
                    </option>
                  ))}
                </optgroup>
              ) : (
                <option key={category.code} value={category.code}>
                  {categoryName(category)}
                </option>
              ),
            )}
          </select>
        </label>
      </div>
      <div className="public-row">
        <label>
          {text("province")}
          <select
            name="province"
            required
            value={province}
            onChange={(event) => {
              setProvince(event.target.value);
              setUnitCode("");
            }}
          >
            <option value="">{text("chooseProvince")}</option>
            {provinces.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
          </select>
        </label>
        <label>
          {text("unit")}
          <select
            name="unit"
            required
            disabled={!province}
            value={unitCode}
            onChange={(event) => setUnitCode(event.target.value)}
          >
            <option value="">{text("chooseUnit")}</option>
            {byCity.map(([city, units]) => (
              <optgroup key={city} label={city}>
                {units.map((unit) => (
                  <option key={unit.code} value={unit.code}>
                    {unit.name}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
      </div>
      <label>
        {text("subject")}
        <input name="subject" maxLength={200} value={subject} onChange={(event) => setSubject(event.target.value)} />
      </label>
      <div className="public-field">
        <label htmlFor="report-description">{text("description")}</label>
        <textarea
          id="report-description"
          name="description"
          required
          minLength={10}
          maxLength={10_000}
          rows={6}
          aria-describedby="description-help"
          value={description}
          onChange={(event) => setDescription(event.target.value)}
        />
        <span id="description-help" className="muted">
          {text("descriptionHelp")}
        </span>
      </div>
      <fieldset>
        <legend>{text("contactTitle")}</legend>
        <span className="muted">{text("contactHelp")}</span>
        <div className="public-row">
          <label>
            {text("name")}
            <input
              name="name"
              autoComplete="name"
              maxLength={120}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          <label>
            {text("email")}
            <input
              name="email"
              type="email"
              autoComplete="email"
              maxLength={254}
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </label>
          <label>
            {text("phone")}
            <input
              name="phone"
              type="tel"
              autoComplete="tel"
              maxLength={32}
              value={phone}
              onChange={(e) => setPhone(e.target.value)}
            />
          </label>
        </div>
      </fieldset>
      <div className="public-trap" aria-hidden="true">
        <label>
          {text("website")}
          <input
            name="website"
            tabIndex={-1}
            autoComplete="off"
            value={website}
            onChange={(e) => setWebsite(e.target.value)}
          />
        </label>
      </div>
      <label className="public-consent">
        <input
          type="checkbox"
          name="consent"
          checked={consent}
          onChange={(event) => {
            setConsent(event.target.checked);
            if (event.target.checked) setFailure(null);
          }}
        />
        <span>{text("consent")}</span>
      </label>
      {failure ? (
        <p className="public-alert" role="alert">
          {failure}
        </p>
      ) : null}
      <button type="submit" disabled={phase !== "idle"}>
        {phase === "verifying" ? text("verifying") : phase === "sending" ? text("sending") : text("submit")}
      </button>
    </form>
  );

  function describeFailure(
    result: Exclude<ResultOf<typeof SubmitMutation>["submitPublicReport"], { __typename: "SubmitPublicReportSuccess" }>,
    t: typeof text,
  ): string {
    if (!("code" in result)) return t("errorOther");
    switch (result.code) {
      case "VALIDATION_FAILED": {
        const field = "field" in result && result.field ? result.field : "";
        return t("errorVALIDATION_FAILED", { field: t(FIELD_LABELS[field] ?? "description") });
      }
      case "PUBLIC_LIMIT_REACHED":
        return t("errorPUBLIC_LIMIT_REACHED", { s: "retryAfterSeconds" in result ? result.retryAfterSeconds : 60 });
      case "CHALLENGE_INVALID":
      case "CHALLENGE_EXPIRED":
      case "CHALLENGE_USED":
        return t("errorCHALLENGE");
      case "CONSENT_REQUIRED":
      case "SUBMISSION_REFUSED":
      case "UNKNOWN_UNIT":
      case "UNKNOWN_CATEGORY":
        return t(`error${result.code}`);
      default:
        return t("errorOther");
    }
  }
}

function Receipt({ report, onAnother }: { report: Submitted; onAnother(): void }) {
  const { text, dateTime } = usePublicText();
  return (
    <section className="public-card" aria-labelledby="receipt-title" data-testid="public-receipt">
      <h2 id="receipt-title">{text("successTitle")}</h2>
      <dl className="public-facts">
        <dt>{text("successNumber")}</dt>
        <dd className="public-code" data-testid="ticket-number">
          {report.ticketNumber}
        </dd>
        <dt>{text("successCode")}</dt>
        <dd className="public-code" data-testid="tracking-code">
          {report.trackingCode}
        </dd>
        <dt>{text("handledBy")}</dt>
        <dd>{report.unit.name}</dd>
        <dt>{text("receivedAt")}</dt>
        <dd>{dateTime(report.createdAt, report.unit.timeZone)}</dd>
      </dl>
      <p className="banner banner-warning">{text("successKeep")}</p>
      <p>
        <Link to={`/lacak?nomor=${encodeURIComponent(report.ticketNumber)}`}>{text("successTrack")}</Link>
        {" · "}
        <button type="button" className="link" onClick={onAnother}>
          {text("anotherReport")}
        </button>
      </p>
    </section>
  );
}
