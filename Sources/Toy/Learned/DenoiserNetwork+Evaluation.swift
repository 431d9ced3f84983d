/// Forward, reverse-mode and forward-mode passes of the network on a workspace.
///
/// Reverse mode (the training gradient), for a loss L with dL/dF = g given per row:
///
///     dL/dW_depth = u_depth^T g,            dL/db_depth = sum_rows g,     dL/du_depth = g W_depth^T
///     dL/dz_l = dL/du_{l+1} * silu'(z_l),   silu'(z) = s (1 + z (1 - s)),  s = sigmoid(z)
///     dL/dW_l = u_l^T dL/dz_l,              dL/db_l = sum_rows dL/dz_l,    dL/du_l = dL/dz_l W_l^T
///
/// Forward mode (the Jacobian of F in its first d inputs, for the Hessian of a learned field): a tangent
/// t_0 = e_j in input j, t_{l+1} = silu'(z_l) * (W_l t_l) (no bias), dF/du_j = W_depth t_depth.
extension DenoiserNetwork {
    /// Evaluates F on rows 0 ..< rows of `workspace.input`, keeping z, sigmoid(z) and the activations of
    /// each hidden layer; F goes to `workspace.output`.
    func forward(_ workspace: NetworkWorkspace, rows: Int) {
        let a = architecture, shapes = a.layerShapes, offsets = a.layerOffsets
        parameters.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return }
            var layerInput = UnsafePointer(workspace.input)
            for l in 0..<a.depth {
                let (inputs, outputs) = shapes[l]
                let weights = base + offsets[l]
                DenseKernels.affine(layerInput, rows: rows, inputs: inputs, weights: weights, bias: weights + inputs * outputs,
                                    outputs: outputs, into: workspace.pre[l])
                DenseKernels.silu(workspace.pre[l], count: rows * outputs, gate: workspace.gate[l], act: workspace.act[l])
                layerInput = UnsafePointer(workspace.act[l])
            }
            let (inputs, outputs) = shapes[a.depth]
            let weights = base + offsets[a.depth]
            DenseKernels.affine(layerInput, rows: rows, inputs: inputs, weights: weights, bias: weights + inputs * outputs,
                                outputs: outputs, into: workspace.output)
        }
    }

    /// Adds dL/dtheta to `gradient` (parameterCount values, the parameter layout) for the rows of the last
    /// `forward` on this workspace, given dL/dF in `outputGradient` ([rows x d]). Rows are summed in order.
    func accumulateGradient(_ workspace: NetworkWorkspace, rows: Int, outputGradient: UnsafePointer<Double>,
                            into gradient: UnsafeMutablePointer<Double>) {
        let a = architecture, shapes = a.layerShapes, offsets = a.layerOffsets
        parameters.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return }
            var upstream = outputGradient
            var current = workspace.gradientA, spare = workspace.gradientB
            for l in stride(from: a.depth, through: 0, by: -1) {
                let (inputs, outputs) = shapes[l]
                let layerInput = l == 0 ? UnsafePointer(workspace.input) : UnsafePointer(workspace.act[l - 1])
                let dw = gradient + offsets[l]
                DenseKernels.accumulateGradient(layerInput, upstream, rows: rows, inputs: inputs, outputs: outputs,
                                                weights: dw, bias: dw + inputs * outputs)
                guard l > 0 else { break }
                // dL/du_l, then through the activation of layer l - 1: dL/dz_{l-1}.
                DenseKernels.backpropagate(upstream, rows: rows, outputs: outputs, weights: base + offsets[l], inputs: inputs, into: current)
                let z = workspace.pre[l - 1], s = workspace.gate[l - 1]
                for k in 0..<(rows * inputs) { current[k] *= s[k] * (1 + z[k] * (1 - s[k])) }
                upstream = UnsafePointer(current)
                swap(&current, &spare)
            }
        }
    }

    /// The Jacobian dF/du_j of row `row` of the last `forward`, for the first d inputs j (the x part):
    /// row-major d x d, J[o * d + j]. Uses the workspace's backward buffers for the tangents.
    func inputJacobian(_ workspace: NetworkWorkspace, row: Int) -> [Double] {
        let a = architecture, d = a.dimension, shapes = a.layerShapes, offsets = a.layerOffsets
        var jacobian = [Double](repeating: 0, count: d * d)
        parameters.withUnsafeBufferPointer { p in
            guard let base = p.baseAddress else { return }
            // The tangent of direction j in the input is e_j, so W_0 t_0 is row j of W_0 (input-major).
            for j in 0..<d {
                var tangent = workspace.gradientA, next = workspace.gradientB
                let w0 = base + offsets[0], width = shapes[0].outputs
                for o in 0..<width { tangent[o] = w0[j * width + o] }
                for l in 0..<a.depth {
                    let z = workspace.pre[l] + row * a.width, s = workspace.gate[l] + row * a.width
                    for k in 0..<a.width { tangent[k] *= s[k] * (1 + z[k] * (1 - s[k])) }
                    let (inputs, outputs) = shapes[l + 1]
                    DenseKernels.affine(tangent, rows: 1, inputs: inputs, weights: base + offsets[l + 1], bias: nil,
                                        outputs: outputs, into: next)
                    swap(&tangent, &next)
                }
                for o in 0..<d { jacobian[o * d + j] = tangent[o] }
            }
        }
        return jacobian
    }
}
