import { useI18n } from "../../i18n/i18n.js";

export interface CategoryNode {
  code: string;
  name: string;
  nameEn: string;
  children: readonly { code: string; name: string; nameEn: string }[];
}

/** The category tree as a select's options: each broad category, then its narrower ones under it. */
export function CategoryOptions({ categories }: { categories: readonly CategoryNode[] }) {
  const { language } = useI18n();
  const name = (category: { name: string; nameEn: string }) => (language === "en" ? category.nameEn : category.name);
  return (
    <>
      {categories.map((category) =>
        category.children.length ? (
          <optgroup key={category.code} label={name(category)}>
            <option value={category.code}>{name(category)}</option>
            {category.children.map((child) => (
              <option key={child.code} value={child.code}>
                {name(child)}
              </option>
            ))}
          </optgroup>
        ) : (
          <option key={category.code} value={category.code}>
            {name(category)}
          </option>
        ),
      )}
    </>
  );
}
