/** At `/clues` itself the sheet slot is empty (so navigating to the list closes any sheet). */
export default function NoSheet() {
  return null;
}
