import SyntheticFaces

/// A grid of synthetic photos in one image: one row per identity, one column per set of conditions.
public enum SyntheticContactSheet {
    /// One column per nuisance the generator controls: frontal; yaw; strong yaw with side light; pitch with a
    /// smile; open mouth, raised brows and a low capture resolution; hard side light with roll; blur and noise
    /// with sunglasses; a mask; a bar across the face.
    public static let showcase: [SyntheticConditions] = {
        var columns: [SyntheticConditions] = [.frontal]
        var c = SyntheticConditions.frontal
        c.yaw = 30
        columns.append(c)
        c = .frontal
        c.yaw = -50
        c.lightAzimuth = -60
        columns.append(c)
        c = .frontal
        c.pitch = 18
        c.expression.smile = 1
        columns.append(c)
        c = .frontal
        c.pitch = -14
        c.expression = SyntheticExpression(mouthOpen: 0.8, browRaise: 1)
        c.resolution = 28
        columns.append(c)
        c = .frontal
        c.lightAzimuth = 75
        c.lightStrength = 1.1
        c.ambient = 0.12
        c.roll = 12
        columns.append(c)
        c = .frontal
        c.blurSigma = 1.6
        c.noiseSigma = 9
        c.occlusion = .sunglasses
        c.backgroundTop = SIMD3(0.35, 0.42, 0.3)
        c.backgroundBottom = SIMD3(0.25, 0.3, 0.22)
        columns.append(c)
        c = .frontal
        c.yaw = 15
        c.occlusion = .mask(color: SIMD3(0.62, 0.78, 0.9))
        columns.append(c)
        c = .frontal
        c.yaw = -20
        c.expression.eyeClosure = 1
        c.occlusion = .bar(x: 50, y: 62, length: 120, thickness: 12, angle: 35, color: SIMD3(0.8, 0.62, 0.5))
        columns.append(c)
        return columns
    }()

    /// The sheet of `identities` (rows) under `conditions` (columns), tiles separated by `spacing` white pixels.
    public static func render(identities: [SyntheticIdentity], conditions: [SyntheticConditions] = showcase,
                              spacing: Int = 2) throws -> Image {
        try SyntheticFaceError.require(!identities.isEmpty, "identities", "[]", "must list at least one identity")
        try SyntheticFaceError.require(!conditions.isEmpty, "conditions", "[]", "must list at least one column")
        try SyntheticFaceError.require((0...64).contains(spacing), "spacing", spacing, "must be within 0...64")
        let renderer = SyntheticFaceRenderer()
        var tiles: [Image] = []
        for identity in identities {
            let head = SyntheticHead(identity)
            for condition in conditions { tiles.append(try renderer.render(head, condition)) }
        }
        return try ImageGrid.render(tiles, columns: conditions.count, spacing: spacing)
    }
}
