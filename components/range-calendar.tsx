"use client";

import { type DateRange, DayPicker } from "react-day-picker";
import { zhCN } from "react-day-picker/locale";

/**
 * The two-month range calendar. Its own module so the date picker can load it when the panel first opens:
 * react-day-picker and its locale are ≈ 22 KB gzipped that the list does not need to show its first rows.
 */
export function RangeCalendar(props: {
  month: Date;
  onMonthChange: (month: Date) => void;
  selected: DateRange | undefined;
  onSelect: (range: DateRange | undefined) => void;
  today: Date;
}) {
  const { month, onMonthChange, selected, onSelect, today } = props;
  return (
    <DayPicker
      mode="range"
      locale={zhCN}
      numberOfMonths={2}
      month={month}
      onMonthChange={onMonthChange}
      selected={selected}
      onSelect={onSelect}
      resetOnSelect
      today={today}
      disabled={{ after: today }}
      endMonth={today}
      showOutsideDays={false}
    />
  );
}
