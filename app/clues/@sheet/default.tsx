export default function SheetDefault() {
  return null;
}
