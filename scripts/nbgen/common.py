"""Write a tutorial notebook from a list of (kind, source) cells, outputs empty (the runner fills them)."""
import json, uuid

META = {
    "kernelspec": {"display_name": "TypeScript (tslab, gan-notebooks)", "language": "typescript", "name": "tslab"},
    "language_info": {"codemirror_mode": {"mode": "typescript", "name": "javascript", "typescript": True},
                      "file_extension": ".ts", "mimetype": "text/typescript", "name": "typescript", "version": "3.7.2"},
}


def write(path, cells):
    out = []
    long = [f"cell {i}: {line}" for i, (kind, src) in enumerate(cells) for line in src.strip().split("\n")
            if kind == "code" and len(line) > 100]
    if long:
        raise SystemExit(f"{path}: lines over 100 characters:\n" + "\n".join(long))
    for i, (kind, src) in enumerate(cells):
        src = src.strip("\n")
        lines = [l + "\n" for l in src.split("\n")]
        lines[-1] = lines[-1].rstrip("\n")
        cell = {"cell_type": kind, "id": uuid.uuid5(uuid.NAMESPACE_URL, f"{path}#{i}").hex[:8], "metadata": {},
                "source": lines}
        if kind == "code":
            cell.update(execution_count=None, outputs=[])
        out.append(cell)
    nb = {"cells": out, "metadata": META, "nbformat": 4, "nbformat_minor": 5}
    with open(path, "w") as f:
        json.dump(nb, f, indent=1, ensure_ascii=False)
        f.write("\n")
