"""PyTorch's side of scripts/exp/peak.ts: sgemm and DCGAN-64's deep discriminator layers at 1 thread (its
best thread setting on this VM, docs/performance.md), in GFLOP/s.
/usr/bin/python3 scripts/exp/peak_torch.py
"""
import time

import torch

torch.set_num_threads(1)


def best(f, flops, rounds=5):
    f()
    t = min(timed(f) for _ in range(rounds))
    return flops / t / 1e9


def timed(f):
    t0 = time.perf_counter()
    f()
    return time.perf_counter() - t0


for n in (512, 1024):
    a, b = torch.randn(n, n), torch.randn(n, n)
    print(f"torch.mm {n}^3, 1 thread: {best(lambda: a @ b, 2 * n ** 3):.1f} GFLOP/s")

# DCGAN-64 D layers, batch 64, 4x4 stride 2 pad 1: forward, weight gradient, input gradient.
for hw, ci, co in ((32, 64, 128), (16, 128, 256), (8, 256, 512)):
    x = torch.randn(64, ci, hw, hw, requires_grad=True)
    w = torch.randn(co, ci, 4, 4, requires_grad=True)
    flops = 2 * 64 * (hw // 2) ** 2 * co * ci * 16
    fwd = best(lambda: torch.nn.functional.conv2d(x, w, stride=2, padding=1), flops)
    y = torch.nn.functional.conv2d(x, w, stride=2, padding=1)
    g = torch.randn_like(y)
    bwd = best(lambda: torch.autograd.grad(y, (x, w), g, retain_graph=True), 2 * flops)
    print(f"conv {hw}x{hw}x{ci} -> {co}, 1 thread: forward {fwd:.1f}, backward (both gradients) {bwd:.1f} GFLOP/s")
