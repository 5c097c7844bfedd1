import { type FormEvent, useMemo, useRef, useState } from "react";
import { useNavigate, useSearchParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { useViewer } from "../../auth/auth.js";
import { flashState } from "../../components/flash.js";
import { PageHeader } from "../../components/layout.js";
import { ErrorMessage, Loading, Panel } from "../../components/ui.js";
import { graphql, type ResultOf, type VariablesOf } from "../../graphql/graphql.js";
import { useI18n } from "../../i18n/i18n.js";
import type { MessageKey } from "../../i18n/messages.js";
import { CategoryOptions } from "../ticket/category-options.js";
import { failureOf } from "../ticket/error-words.js";
import {
  type IntakeField,
  type IntakeValues,
  initialUnit,
  intakeInput,
  KINDS,
  missingFields,
  newIdempotencyKey,
  PRIORITIES,
  STAFF_CHANNELS,
  type StaffChannel,
  unitGroups,
} from "./intake-form.js";

const IntakeOptionsQuery = graphql(`
  query IntakeOptions {
    units { id code name type active parent { id code } }
    categories { code name nameEn children { code name nameEn } }
  }
`);

const CreateTicketMutation = graphql(`
  mutation IntakeCreateTicket($input: CreateTicketInput!) {
    result: createTicket(input: $input) {
      __typename
      ... on Error { code message }
      ... on ValidationError { field }
      ... on CreateTicketSuccess { ticket { id number } }
    }
  }
`);

type Options = ResultOf<typeof IntakeOptionsQuery>;
type CreateInput = VariablesOf<typeof CreateTicketMutation>["input"];

/** `/tickets/new`: staff record a call, a visit or a letter as a ticket of a unit they act for. */
export function NewTicketPage() {
  const { t } = useI18n();
  const [{ data, error, fetching }, reexecute] = useQuery({ query: IntakeOptionsQuery });
  const { viewer } = useViewer();
  const [formKey, setFormKey] = useState(0);
  return (
    <>
      <PageHeader crumbs={[]} title={t("newTicketTitle")} />
      {error && !data ? (
        <ErrorMessage error={error} onRetry={() => reexecute({ requestPolicy: "network-only" })} />
      ) : fetching && !data ? (
        <Loading />
      ) : data && viewer ? (
        <Panel title={t("newTicket")} className="intake-panel">
          <IntakeForm
            key={formKey}
            options={data}
            viewerUnit={viewer.unit}
            onRestart={() => setFormKey((k) => k + 1)}
          />
        </Panel>
      ) : (
        <Loading />
      )}
    </>
  );
}

function IntakeForm({
  options,
  viewerUnit,
  onRestart,
}: {
  options: Options;
  viewerUnit: { code: string; type: string };
  onRestart(): void;
}) {
  const i18n = useI18n();
  const { t, tf, label } = i18n;
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const start = useMemo(
    () => initialUnit(options.units, params.get("unit"), viewerUnit),
    [options.units, params, viewerUnit],
  );
  const groups = useMemo(() => unitGroups(options.units), [options.units]);
  // One key per form: however often it is sent (a double click, a resend after a lost answer), one ticket.
  const [idempotencyKey] = useState(newIdempotencyKey);
  const [values, setValues] = useState<IntakeValues>({
    channel: "PHONE",
    unitCode: start.code,
    kind: "COMPLAINT",
    category: "",
    priority: "NORMAL",
    subject: "",
    description: "",
    reporterName: "",
    reporterPhone: "",
    reporterEmail: "",
  });
  const [missing, setMissing] = useState<Partial<Record<IntakeField, MessageKey>>>({});
  const [failure, setFailure] = useState<{ text: string; code: string | null } | null>(null);
  const [state, execute] = useMutation(CreateTicketMutation);
  const inFlight = useRef(false);
  const set = <K extends keyof IntakeValues>(field: K, value: IntakeValues[K]) => {
    setValues((current) => ({ ...current, [field]: value }));
    if (field in missing) setMissing((current) => ({ ...current, [field]: undefined }));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (inFlight.current) return;
    const empty = missingFields(values);
    setMissing(empty);
    if (Object.keys(empty).length) {
      setFailure({ text: t("formHasErrors"), code: null });
      return;
    }
    setFailure(null);
    inFlight.current = true;
    try {
      // The enum fields hold values of the API's enums, chosen from the lists above.
      const result = await execute({ input: intakeInput(values, idempotencyKey) as CreateInput });
      const created = result.data?.result;
      if (created?.__typename === "CreateTicketSuccess" && !result.error) {
        navigate(`/tickets/${created.ticket.number}`, {
          state: flashState({ kind: "created", number: created.ticket.number }),
        });
        return;
      }
      const code = created && "code" in created ? created.code : null;
      const text = failureOf(result, i18n) ?? t("errNETWORK");
      // Whether or not the lost request was recorded, the same key makes a resend safe: say so.
      setFailure({ text: code ? text : `${text} ${t("intakeResendSafe")}`, code });
    } finally {
      inFlight.current = false;
    }
  };

  const fieldError = (field: IntakeField) =>
    missing[field] ? (
      <span id={`intake-${field}-error`} className="field-error">
        {t(missing[field] as MessageKey)}
      </span>
    ) : null;
  const invalid = (field: IntakeField) =>
    missing[field] ? { "aria-invalid": true, "aria-describedby": `intake-${field}-error` } : {};

  return (
    <form
      className="intake-form"
      noValidate
      aria-label={t("newTicket")}
      onSubmit={(event) => void submit(event)}
      data-testid="intake-form"
    >
      <p className="muted">{t("newTicketIntro")}</p>
      {start.refused ? (
        <p className="tone-warning" role="status" data-testid="unit-refused">
          {tf("unitNotInScope", { unit: start.refused })}
        </p>
      ) : null}
      <fieldset className="intake-channel">
        <legend>{t("channel")}</legend>
        <div className="segmented">
          {STAFF_CHANNELS.map((channel) => (
            <label key={channel} className={values.channel === channel ? "active" : ""}>
              <input
                type="radio"
                name="channel"
                value={channel}
                checked={values.channel === channel}
                onChange={() => set("channel", channel as StaffChannel)}
              />
              <span>{label(channel)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="intake-row">
        <div className="field field-grow">
          <label htmlFor="intake-unitCode">{t("receivingUnit")}</label>
          <select
            id="intake-unitCode"
            name="unit"
            value={values.unitCode}
            onChange={(event) => set("unitCode", event.target.value)}
            {...invalid("unitCode")}
          >
            <option value="">{t("chooseUnit")}</option>
            {groups.map((group) =>
              group.head ? (
                <optgroup key={group.head.code} label={group.head.name}>
                  {group.units.map((unit) => (
                    <option key={unit.code} value={unit.code}>
                      {unit.name}
                    </option>
                  ))}
                </optgroup>
              ) : (
                group.units.map((unit) => (
                  <option key={unit.code} value={unit.code}>
                    {unit.name}
                  </option>
                ))
              ),
            )}
          </select>
          {fieldError("unitCode")}
        </div>
      </div>
      <div className="intake-row">
        <label className="field">
          {t("kind")}
          <select name="kind" value={values.kind} onChange={(event) => set("kind", event.target.value)}>
            {KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {label(kind)}
              </option>
            ))}
          </select>
        </label>
        <label className="field field-grow">
          {t("category")}
          <select name="category" value={values.category} onChange={(event) => set("category", event.target.value)}>
            <option value="">{t("categoryNone")}</option>
            <CategoryOptions categories={options.categories} />
          </select>
        </label>
        <label className="field">
          {t("priority")}
          <select name="priority" value={values.priority} onChange={(event) => set("priority", event.target.value)}>
            {PRIORITIES.map((priority) => (
              <option key={priority} value={priority}>
                {label(priority)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="field">
        <label htmlFor="intake-subject">{t("subject")}</label>
        <input
          id="intake-subject"
          name="subject"
          maxLength={200}
          value={values.subject}
          onChange={(event) => set("subject", event.target.value)}
          {...invalid("subject")}
        />
        {fieldError("subject")}
      </div>
      <div className="field">
        <label htmlFor="intake-description">{t("description")}</label>
        <textarea
          id="intake-description"
          name="description"
          rows={5}
          maxLength={10_000}
          value={values.description}
          onChange={(event) => set("description", event.target.value)}
          {...invalid("description")}
        />
        {fieldError("description")}
      </div>
      <fieldset className="intake-reporter">
        <legend>{t("reporter")}</legend>
        <p className="muted">{t("reporterHelp")}</p>
        <div className="intake-row">
          <label className="field field-grow">
            {t("reporterName")}
            <input
              name="reporterName"
              autoComplete="off"
              maxLength={120}
              value={values.reporterName}
              onChange={(event) => set("reporterName", event.target.value)}
            />
          </label>
          <label className="field field-grow">
            {t("reporterPhone")}
            <input
              name="reporterPhone"
              type="tel"
              autoComplete="off"
              maxLength={32}
              value={values.reporterPhone}
              onChange={(event) => set("reporterPhone", event.target.value)}
            />
          </label>
          <label className="field field-grow">
            {t("reporterEmail")}
            <input
              name="reporterEmail"
              type="email"
              autoComplete="off"
              maxLength={254}
              value={values.reporterEmail}
              onChange={(event) => set("reporterEmail", event.target.value)}
            />
          </label>
        </div>
      </fieldset>
      {failure ? (
        <div role="alert" className="tone-critical" data-testid="intake-failure" data-code={failure.code ?? ""}>
          {failure.text}
          {failure.code === "IDEMPOTENCY_CONFLICT" ? (
            <>
              {" "}
              <button type="button" className="link" onClick={onRestart}>
                {t("newForm")}
              </button>
            </>
          ) : null}
        </div>
      ) : null}
      <div className="action-buttons">
        <button type="submit" disabled={state.fetching}>
          {state.fetching ? t("sending") : t("createTicket")}
        </button>
      </div>
    </form>
  );
}
