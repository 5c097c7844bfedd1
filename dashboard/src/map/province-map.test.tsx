import { act, cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import units from "../../../prisma/data/units.json";
import { NO_DATA_COLOUR, quantizedScale, STATUS_COLOURS, slaStatusScale } from "./colour-scale";
import { focusViewBox, PROVINCE_GEOMETRY, shapeCodeOf } from "./geometry";
import { type ProvinceDatum, ProvinceMap, type ProvinceMapProps } from "./province-map";

afterEach(cleanup);

const codes = PROVINCE_GEOMETRY.provinces.map((p) => p.code);
const format = (n: number) => `${n.toFixed(1)} %`;

function allValues(value: (code: string, i: number) => number | null): Map<string, ProvinceDatum> {
  return new Map(codes.map((code, i) => [code, { value: value(code, i), label: `Kanwil ${code}` }]));
}

function renderMap(props: Partial<ProvinceMapProps> = {}) {
  return render(
    <ProvinceMap
      values={allValues((_, i) => 60 + i)}
      scale={slaStatusScale()}
      title="SLA by province"
      formatValue={format}
      noDataLabel="no data"
      {...props}
    />,
  );
}

const pathOf = (container: HTMLElement, code: string) => {
  const path = container.querySelector(`path[data-province="${code}"]`);
  if (!path) throw new Error(`no path for ${code}`);
  return path;
};

describe("province geometry", () => {
  it("draws every province of the seed data, itself or within the province it was split from", () => {
    for (const province of units.provinces) {
      const drawn = shapeCodeOf(province.iso);
      expect(drawn, province.iso).toBeDefined();
      if (drawn !== province.iso) {
        // Drawn within the province whose regional office covers it.
        expect(units.provinces.find((p) => p.iso === drawn)?.name).toBe(province.coveredBy);
      }
    }
    expect(codes).toHaveLength(33);
    expect(new Set(codes).size).toBe(codes.length);
    expect(PROVINCE_GEOMETRY.attribution).toContain("Natural Earth");
  });

  it("keeps every shape inside the map", () => {
    const [, , width, height] = PROVINCE_GEOMETRY.viewBox;
    for (const { bbox, centroid, d } of PROVINCE_GEOMETRY.provinces) {
      expect(d).toMatch(/^M[\d.]+ [\d.]+l/);
      expect(bbox[0]).toBeGreaterThanOrEqual(0);
      expect(bbox[1]).toBeGreaterThanOrEqual(0);
      expect(bbox[0] + bbox[2]).toBeLessThanOrEqual(width);
      expect(bbox[1] + bbox[3]).toBeLessThanOrEqual(height);
      expect(centroid[0]).toBeGreaterThanOrEqual(bbox[0]);
      expect(centroid[0]).toBeLessThanOrEqual(bbox[0] + bbox[2]);
    }
  });

  it.each<[string, string[], boolean]>([
    ["the whole map without focus", [], true],
    ["the whole map for unknown codes", ["ID-XX"], true],
    ["a province", ["ID-JI"], false],
    ["an alias like its province", ["ID-PS"], false],
    ["several provinces", ["ID-JI", "ID-BA", "ID-NB"], false],
    ["the whole map when they span it", ["ID-AC", "ID-PA"], true],
  ])("focusViewBox: %s", (_, focus, whole) => {
    const view = focusViewBox(focus);
    const full = PROVINCE_GEOMETRY.viewBox;
    expect(view.join(" ") === full.join(" ")).toBe(whole);
    // Same aspect ratio, inside the map, containing the focused provinces.
    expect(view[2] / view[3]).toBeCloseTo(full[2] / full[3], 1);
    expect(view[0]).toBeGreaterThanOrEqual(0);
    expect(view[0] + view[2]).toBeLessThanOrEqual(full[2] + 0.1);
    for (const code of focus) {
      const shape = PROVINCE_GEOMETRY.provinces.find((p) => p.code === shapeCodeOf(code));
      if (!shape) continue;
      expect(shape.bbox[0]).toBeGreaterThanOrEqual(view[0]);
      expect(shape.bbox[0] + shape.bbox[2]).toBeLessThanOrEqual(view[0] + view[2] + 0.1);
    }
    expect(focusViewBox(["ID-PS"])).toEqual(focusViewBox(["ID-PA"]));
  });
});

describe("ProvinceMap", () => {
  it("renders and colours every province by the scale", () => {
    const { container } = renderMap({ values: allValues((code) => (code === "ID-JI" ? 95 : 80)) });
    const paths = container.querySelectorAll("path[data-province]");
    expect(paths).toHaveLength(codes.length);
    for (const path of paths) {
      expect(path.getAttribute("data-fill")).toMatch(/^#[0-9a-f]{6}$/);
      expect(path.getAttribute("fill")).toBe(path.getAttribute("data-fill"));
    }
    expect(pathOf(container, "ID-JI").getAttribute("data-fill")).toBe(STATUS_COLOURS.good);
    expect(pathOf(container, "ID-JK").getAttribute("data-fill")).toBe(STATUS_COLOURS.warning);
    expect(screen.getByRole("group", { name: "SLA by province" })).toBeTruthy();
  });

  it("hatches provinces without data, or with a null value, and says so", () => {
    const values = allValues(() => 50);
    values.delete("ID-BA");
    values.set("ID-AC", { value: null, label: "Kanwil Aceh" });
    const { container } = renderMap({ values });
    for (const code of ["ID-BA", "ID-AC"]) {
      const path = pathOf(container, code);
      expect(path.getAttribute("data-fill")).toBe(NO_DATA_COLOUR);
      expect(path.getAttribute("data-no-data")).toBe("true");
      expect(path.getAttribute("fill")).toMatch(/^url\(#.+\)$/);
      expect(path.getAttribute("aria-label")).toContain("no data");
    }
    const patternId = pathOf(container, "ID-BA").getAttribute("fill")?.slice(5, -1);
    expect(container.querySelector(`pattern[id="${patternId}"]`)).not.toBeNull();
    expect(pathOf(container, "ID-JI").getAttribute("data-fill")).toBe(STATUS_COLOURS.critical);
  });

  it("names each province with its value and label, using only the given texts", () => {
    renderMap({
      values: new Map([["ID-JI", { value: 91.25, label: "Kanwil Jawa Timur" }]]),
      onSelect: () => {},
    });
    expect(screen.getByRole("button", { name: "Jawa Timur, 91.3 %, Kanwil Jawa Timur" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Bali, no data" })).toBeTruthy();
    expect(screen.getAllByRole("button")).toHaveLength(codes.length);
  });

  it("lets the view rename provinces and describe them", () => {
    renderMap({
      provinceName: (code, name) => `${name} (${code})`,
      describeProvince: (p) => `${p.name}: ${p.valueText}`,
    });
    expect(screen.getByRole("img", { name: /^Jawa Timur \(ID-JI\): \d/ })).toBeTruthy();
  });

  it("selects with Enter, Space and click, and every province is in the tab order", () => {
    const onSelect = vi.fn();
    const { container } = renderMap({ onSelect });
    for (const path of container.querySelectorAll("path[data-province]")) {
      expect(path.getAttribute("tabindex")).toBe("0");
    }
    const jawaTimur = screen.getByRole("button", { name: /^Jawa Timur,/ });
    act(() => (jawaTimur as unknown as SVGElement).focus());
    fireEvent.keyDown(jawaTimur, { key: "Enter" });
    fireEvent.keyDown(jawaTimur, { key: " " });
    fireEvent.keyDown(jawaTimur, { key: "a" });
    fireEvent.click(screen.getByRole("button", { name: /^Bali,/ }));
    expect(onSelect.mock.calls).toEqual([["ID-JI"], ["ID-JI"], ["ID-BA"]]);
  });

  it("shows a tooltip with name, value and label on focus and hover, and outlines the focused province", () => {
    const { container } = renderMap({
      values: new Map([["ID-JI", { value: 88, label: "Kanwil Jawa Timur" }]]),
    });
    const jawaTimur = pathOf(container, "ID-JI");
    fireEvent.focus(jawaTimur);
    const tip = screen.getByRole("tooltip");
    expect(within(tip).getByText("Jawa Timur")).toBeTruthy();
    expect(within(tip).getByText("88.0 %")).toBeTruthy();
    expect(within(tip).getByText("Kanwil Jawa Timur")).toBeTruthy();
    expect(container.querySelector("[data-focus-ring]")).not.toBeNull();
    fireEvent.keyDown(jawaTimur, { key: "Escape" });
    expect(screen.queryByRole("tooltip")).toBeNull();
    fireEvent.blur(jawaTimur);
    expect(container.querySelector("[data-focus-ring]")).toBeNull();

    // Focus from a click shows the tooltip but no focus ring.
    fireEvent.pointerDown(jawaTimur);
    fireEvent.focus(jawaTimur);
    expect(screen.getByRole("tooltip")).toBeTruthy();
    expect(container.querySelector("[data-focus-ring]")).toBeNull();
    fireEvent.blur(jawaTimur);

    fireEvent.pointerEnter(pathOf(container, "ID-BA"));
    expect(within(screen.getByRole("tooltip")).getByText("no data")).toBeTruthy();
    fireEvent.pointerLeave(container.querySelector("svg")!);
    expect(screen.queryByRole("tooltip")).toBeNull();
  });

  it("zooms the view box to the focused provinces and fades the others", () => {
    const { container, rerender } = renderMap();
    const svg = container.querySelector("svg")!;
    expect(svg.getAttribute("viewBox")).toBe(PROVINCE_GEOMETRY.viewBox.join(" "));
    rerender(
      <ProvinceMap
        values={allValues(() => 80)}
        scale={slaStatusScale()}
        title="SLA by province"
        formatValue={format}
        noDataLabel="no data"
        focus={["ID-JI"]}
        onSelect={() => {}}
      />,
    );
    expect(svg.getAttribute("viewBox")).toBe(focusViewBox(["ID-JI"]).join(" "));
    expect(svg.getAttribute("viewBox")).not.toBe(PROVINCE_GEOMETRY.viewBox.join(" "));
    expect(pathOf(container, "ID-JI").getAttribute("role")).toBe("button");
    expect(pathOf(container, "ID-JT").getAttribute("role")).toBe("img");
    expect(pathOf(container, "ID-JT").getAttribute("tabindex")).toBeNull();
    expect(pathOf(container, "ID-JT").getAttribute("opacity")).toBe("0.35");
  });

  it("outlines the selected province, resolving aliases", () => {
    const { container } = renderMap({ selected: "ID-PT" });
    expect(pathOf(container, "ID-PA").getAttribute("data-selected")).toBe("true");
    expect(pathOf(container, "ID-PA").getAttribute("aria-current")).toBe("true");
    expect(container.querySelectorAll("[data-selected]")).toHaveLength(1);
  });

  it("shows the legend with the scale's steps and the no-data swatch", () => {
    renderMap({
      scale: quantizedScale({ domain: [0, 30], direction: "lowerIsBetter", steps: 3, integer: true }),
      formatValue: String,
      legendTitle: "Backlog",
      attribution: "Map: Natural Earth",
    });
    const legend = screen.getByRole("list", { name: "Backlog" });
    expect(
      within(legend)
        .getAllByRole("listitem")
        .map((li) => li.textContent),
    ).toEqual(["0 – 9", "10 – 19", "20 – 30", "no data"]);
    expect(screen.getByText("Map: Natural Earth")).toBeTruthy();
  });
});
