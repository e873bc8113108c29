// Before/after slider: the "before" image lies over the "after" one and is cut at the slider's position.

export function bindCompare(slider, before, line) {
  const update = () => {
    const value = Number(slider.value);
    before.style.clipPath = `inset(0 ${100 - value}% 0 0)`;
    line.style.left = `calc(${value}% - 1px)`;
  };

  slider.addEventListener("input", update);
  update();
  return update;
}
