"""Write the trained encoder as ONNX in the layout the workbench imports ('cwb import-encoder'):
input float32 NCHW [batch, C, S, S], pixels in [0, 1] (no normalisation inside), output
[batch, F] features after global average pooling, opset >= 13. Names come from config.json.

    python export_onnx.py --checkpoint output/encoder.pt --out encoder.onnx
"""
import argparse
import json
import os
import warnings

import torch

from models import ResNet

HERE = os.path.dirname(os.path.abspath(__file__))


def main():
    with open(os.path.join(HERE, "config.json"), encoding="utf-8") as f:
        config = json.load(f)
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--checkpoint", default=os.path.join(HERE, "output", "encoder.pt"))
    p.add_argument("--out", default=os.path.join(HERE, "encoder.onnx"))
    args = p.parse_args()
    onnx = config["onnx"]
    channels, size = config["dataset"]["channels"], config["plan"]["imageSize"]
    encoder = ResNet(config["plan"]["encoder"], channels)
    encoder.load_state_dict(torch.load(args.checkpoint, map_location="cpu"))
    encoder.eval()
    example = torch.rand(2, channels, size, size)
    # The 'same' paddings are Python ints of the traced shapes: constants of the fixed-size graph, as intended.
    warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)
    warnings.filterwarnings("ignore", category=UserWarning, module="torch.onnx")
    with torch.no_grad():
        expected = encoder(example)
        torch.onnx.export(
            encoder,
            example,
            args.out,
            input_names=[onnx["inputName"]],
            output_names=[onnx["featuresName"]],
            dynamic_axes={onnx["inputName"]: {0: "batch"}, onnx["featuresName"]: {0: "batch"}},
            opset_version=onnx["opset"],
            do_constant_folding=True,
        )
    print(json.dumps({"onnx": args.out, "input": [None, channels, size, size], "features": list(expected.shape[1:]), "opset": onnx["opset"]}))


if __name__ == "__main__":
    main()
