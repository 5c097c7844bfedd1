import { useRollover } from "../../components/rollover.js";

/** How far `timeZone`'s wall clock is ahead of UTC at `instant`, in milliseconds. */
export function zoneOffsetMs(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(instant);
  const field = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const wall = Date.UTC(
    field("year"),
    field("month") - 1,
    field("day"),
    field("hour"),
    field("minute"),
    field("second"),
  );
  return wall - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The calendar day around `now` in `timeZone`, as the instants of its first moment and of the next day's:
 * what "today" means on a wall in Makassar is not what it means in Jakarta.
 */
export function localDay(now: Date, timeZone: string): { from: Date; to: Date } {
  const wall = new Date(now.getTime() + zoneOffsetMs(now, timeZone));
  const midnightWall = Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate());
  // The offset at midnight itself, which differs from now's where a zone changes its clocks that day.
  const from = midnightWall - zoneOffsetMs(new Date(midnightWall - zoneOffsetMs(now, timeZone)), timeZone);
  const nextWall = midnightWall + 86_400_000;
  const to = nextWall - zoneOffsetMs(new Date(nextWall - zoneOffsetMs(now, timeZone)), timeZone);
  return { from: new Date(from), to: new Date(to) };
}

/** Today in `timeZone`, moving on by itself at local midnight, so a screen left open overnight counts the new day. */
export function useLocalDay(timeZone: string): { from: string; to: string } {
  const day = useRollover(
    () => localDay(new Date(), timeZone),
    (value) => value.to.getTime(),
    timeZone,
  );
  return { from: day.from.toISOString(), to: day.to.toISOString() };
}
