import { lazy, type ReactNode, Suspense } from "react";
import { BrowserRouter, Navigate, Route, Routes, useLocation } from "react-router";
import { AuthProvider, useAuth, useViewer } from "./auth/auth.js";
import { SignInPage } from "./auth/sign-in-page.js";
import { Layout } from "./components/layout.js";
import { importWithRetry } from "./components/retrying-import.js";
import { ErrorMessage, Loading } from "./components/ui.js";
import { I18nProvider, useI18n } from "./i18n/i18n.js";

// Views load on first visit, so the sign-in page does not wait for the charts and the map.
const NationalView = lazy(() =>
  importWithRetry(() => import("./views/national/national-view.js")).then((m) => ({ default: m.NationalView })),
);
const UnitPage = lazy(() =>
  importWithRetry(() => import("./views/unit-page.js")).then((m) => ({ default: m.UnitPage })),
);
const TeamPage = lazy(() =>
  importWithRetry(() => import("./views/team/team-page.js")).then((m) => ({ default: m.TeamPage })),
);
const WallPage = lazy(() =>
  importWithRetry(() => import("./views/wall/wall-page.js")).then((m) => ({ default: m.WallPage })),
);
const TicketPage = lazy(() =>
  importWithRetry(() => import("./views/ticket/ticket-page.js")).then((m) => ({ default: m.TicketPage })),
);
const NewTicketPage = lazy(() =>
  importWithRetry(() => import("./views/intake/new-ticket-page.js")).then((m) => ({ default: m.NewTicketPage })),
);
// The citizens' pages: no sign-in, and nothing of the staff views in their chunks.
const ReportPage = lazy(() =>
  importWithRetry(() => import("./views/public/report-page.js")).then((m) => ({ default: m.ReportPage })),
);
const TrackPage = lazy(() =>
  importWithRetry(() => import("./views/public/track-page.js")).then((m) => ({ default: m.TrackPage })),
);
const StatisticsPage = lazy(() =>
  importWithRetry(() => import("./views/public/statistics-page.js")).then((m) => ({ default: m.StatisticsPage })),
);

export function App() {
  return (
    <I18nProvider>
      <BrowserRouter>
        <AuthProvider>
          <Routes>
            <Route path="/login" element={<SignInPage />} />
            <Route
              path="/lapor"
              element={
                <Suspense fallback={<Loading />}>
                  <ReportPage />
                </Suspense>
              }
            />
            <Route
              path="/lacak"
              element={
                <Suspense fallback={<Loading />}>
                  <TrackPage />
                </Suspense>
              }
            />
            <Route
              path="/statistik"
              element={
                <Suspense fallback={<Loading />}>
                  <StatisticsPage />
                </Suspense>
              }
            />
            <Route
              path="/wall"
              element={
                <Suspense fallback={<Loading />}>
                  <WallPage />
                </Suspense>
              }
            />
            <Route
              element={
                <RequireSession>
                  <Layout />
                </RequireSession>
              }
            >
              <Route index element={<Home />} />
              <Route path="national" element={<National />} />
              <Route
                path="units/:code"
                element={
                  <Suspense fallback={<Loading />}>
                    <UnitPage />
                  </Suspense>
                }
              />
              <Route
                path="tickets/new"
                element={
                  <Suspense fallback={<Loading />}>
                    <NewTicketPage />
                  </Suspense>
                }
              />
              <Route
                path="units/:code/team"
                element={
                  <Suspense fallback={<Loading />}>
                    <TeamPage />
                  </Suspense>
                }
              />
              <Route
                path="tickets/:number"
                element={
                  <Suspense fallback={<Loading />}>
                    <TicketPage />
                  </Suspense>
                }
              />
              <Route path="*" element={<NotFound />} />
            </Route>
          </Routes>
        </AuthProvider>
      </BrowserRouter>
    </I18nProvider>
  );
}

function RequireSession({ children }: { children: ReactNode }) {
  const { session } = useAuth();
  const location = useLocation();
  if (!session) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return children;
}

/** Each person lands where their scope starts: the directorate on the map, everyone else on their unit. */
function Home() {
  const { viewer, fetching } = useViewer();
  if (fetching || !viewer) return <Loading />;
  return <Navigate to={viewer.unit.type === "DIRECTORATE" ? "/national" : `/units/${viewer.unit.code}`} replace />;
}

function National() {
  const { viewer, fetching } = useViewer();
  if (fetching || !viewer) return <Loading />;
  // The national view is the directorate's; a regional head asking for it lands on their own region.
  if (viewer.unit.type !== "DIRECTORATE") return <Navigate to={`/units/${viewer.unit.code}`} replace />;
  return (
    <Suspense fallback={<Loading />}>
      <NationalView rootCode={viewer.unit.code} />
    </Suspense>
  );
}

function NotFound() {
  const { t } = useI18n();
  return <ErrorMessage error={t("notFound")} />;
}
