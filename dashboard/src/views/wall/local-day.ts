import { useEffect, useState } from "react";

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

/**
 * Today in `timeZone`, moving on by itself at local midnight, so a screen left open overnight counts the
 * new day's tickets. Checked every minute as well: a timer set for midnight can fire late or not at all
 * when the machine sleeps.
 */
export function useLocalDay(timeZone: string): { from: string; to: string } {
  const [day, setDay] = useState(() => localDay(new Date(), timeZone));
  useEffect(() => {
    const roll = () => {
      const next = localDay(new Date(), timeZone);
      setDay((current) => (current.from.getTime() === next.from.getTime() ? current : next));
    };
    roll();
    const untilMidnight = setTimeout(roll, Math.max(0, day.to.getTime() - Date.now()) + 50);
    const everyMinute = setInterval(roll, 60_000);
    return () => {
      clearTimeout(untilMidnight);
      clearInterval(everyMinute);
    };
  }, [timeZone, day]);
  return { from: day.from.toISOString(), to: day.to.toISOString() };
}
