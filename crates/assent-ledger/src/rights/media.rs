//! Generated media for the demo account and the bench: PNG images, WAV
//! voice-like tones and uncompressed AVI videos, each a pure function of its
//! size and a `seed`, so an export of generated media is reproducible.
//!
//! Written by hand (the formats are small); PNG's deflate is `flate2`'s.

use std::f64::consts::TAU;
use std::io::{self, Write};

use flate2::write::ZlibEncoder;
use flate2::Compression;

/// A valid PNG (8-bit RGB) of width×height, a colourful pattern that depends on `seed`.
///
/// A zero width or height is taken as 1.
pub fn png(width: u32, height: u32, seed: u64) -> Vec<u8> {
    let (width, height) = (width.max(1), height.max(1));
    let pattern = Pattern::new(seed);
    let row_bytes = width as usize * 3;
    let mut row = vec![0u8; row_bytes];
    // Filter type 0 (None) before each row.
    let mut pixels = ZlibEncoder::new(Vec::new(), Compression::default());
    for y in 0..height {
        pattern.row(y, 0, &mut row, Order::Rgb);
        // Writing into a Vec cannot fail.
        pixels
            .write_all(&[0])
            .and_then(|()| pixels.write_all(&row))
            .expect("deflating into a Vec");
    }
    let idat = pixels.finish().expect("deflating into a Vec");

    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    // Bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace.
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);

    let mut png = Vec::with_capacity(8 + 25 + 12 + idat.len() + 12);
    png.extend_from_slice(b"\x89PNG\r\n\x1a\n");
    png_chunk(&mut png, b"IHDR", &ihdr);
    png_chunk(&mut png, b"IDAT", &idat);
    png_chunk(&mut png, b"IEND", &[]);
    png
}

/// Appends one PNG chunk: length, type, data, CRC-32 of type and data.
fn png_chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend_from_slice(&(data.len() as u32).to_be_bytes());
    png.extend_from_slice(kind);
    png.extend_from_slice(data);
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    png.extend_from_slice(&crc.finalize().to_be_bytes());
}

/// The WAV's sample rate.
const WAV_RATE: u32 = 16_000;

/// A valid WAV (16-bit PCM mono, 16 kHz) of `millis` of a voice-like tone (a few harmonics with a slow vibrato) from `seed`.
///
/// The fundamental (100 to 220 Hz), vibrato (4.5 to 6 Hz, 1.5 to 4 %) and the
/// harmonics' weights come from `seed`; 10 ms fades avoid clicks. Lengths
/// beyond what a WAV can hold (about 37 hours) are cut there.
pub fn wav(millis: u32, seed: u64) -> Vec<u8> {
    const MAX_SAMPLES: u64 = (u32::MAX as u64 - 36) / 2;
    let samples = (u64::from(millis) * u64::from(WAV_RATE) / 1000).min(MAX_SAMPLES) as usize;
    let data_len = samples as u32 * 2;

    let mut random = SplitMix(seed);
    let f0 = 100.0 + 120.0 * random.unit();
    let vibrato_rate = 4.5 + 1.5 * random.unit();
    let vibrato_depth = 0.015 + 0.025 * random.unit();
    let weights: Vec<f64> = (1..=5)
        .map(|k| (0.6 + 0.4 * random.unit()) / f64::from(k))
        .collect();
    let scale = 0.7 * f64::from(i16::MAX) / weights.iter().sum::<f64>();
    let fade = (WAV_RATE / 100) as usize;

    let mut wav = Vec::with_capacity(44 + samples * 2);
    wav.extend_from_slice(b"RIFF");
    wav.extend_from_slice(&(36 + data_len).to_le_bytes());
    wav.extend_from_slice(b"WAVEfmt ");
    wav.extend_from_slice(&16u32.to_le_bytes());
    wav.extend_from_slice(&1u16.to_le_bytes()); // PCM
    wav.extend_from_slice(&1u16.to_le_bytes()); // mono
    wav.extend_from_slice(&WAV_RATE.to_le_bytes());
    wav.extend_from_slice(&(WAV_RATE * 2).to_le_bytes()); // bytes per second
    wav.extend_from_slice(&2u16.to_le_bytes()); // block align
    wav.extend_from_slice(&16u16.to_le_bytes()); // bits per sample
    wav.extend_from_slice(b"data");
    wav.extend_from_slice(&data_len.to_le_bytes());

    let rate = f64::from(WAV_RATE);
    let mut phase = 0.0f64;
    for n in 0..samples {
        let t = n as f64 / rate;
        let frequency = f0 * (1.0 + vibrato_depth * (TAU * vibrato_rate * t).sin());
        phase = (phase + TAU * frequency / rate) % TAU;
        let tone: f64 = weights
            .iter()
            .enumerate()
            .map(|(k, weight)| weight * ((k + 1) as f64 * phase).sin())
            .sum();
        let edge = n.min(samples - 1 - n);
        let envelope = if edge < fade {
            edge as f64 / fade as f64
        } else {
            1.0
        };
        let sample = (tone * envelope * scale) as i16;
        wav.extend_from_slice(&sample.to_le_bytes());
    }
    wav
}

/// The AVI's fixed header: RIFF header, `hdrl` list with `avih`, `strl`, `strh`, `strf`, and the `movi` list header.
const AVI_HEADERS: u64 = 12 + 200 + 12;

/// Bytes in one stored frame: rows of BGR pixels padded to 4 bytes.
fn avi_frame_size(width: u32, height: u32) -> u64 {
    (u64::from(width) * 3).div_ceil(4) * 4 * u64::from(height)
}

/// The size `write_avi` will write for these parameters (so the bench can aim at a total size).
pub fn avi_size(width: u32, height: u32, frames: u32) -> u64 {
    let frames = u64::from(frames);
    AVI_HEADERS + frames * (8 + avi_frame_size(width, height)) + 8 + 16 * frames
}

/// Writes a valid uncompressed AVI video (RIFF 'AVI ', one 'vids' stream, BI_RGB 24-bit frames, an idx1 index) of `frames` frames at `fps` to `out`, streaming frame by frame (memory: one frame). Returns the file size.
///
/// Fails with `InvalidInput`, before writing anything, for a zero width,
/// height or `fps`, or a file larger than a RIFF can hold (4 GiB; players
/// are happiest below 1 GiB). Many small writes: give it a `BufWriter`.
pub fn write_avi(
    out: &mut impl Write,
    width: u32,
    height: u32,
    frames: u32,
    fps: u32,
    seed: u64,
) -> io::Result<u64> {
    let size = avi_size(width, height, frames);
    let frame_size = avi_frame_size(width, height);
    if width == 0 || height == 0 || fps == 0 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "an AVI needs a width, a height and a frame rate",
        ));
    }
    let (Ok(riff_size), Ok(frame_size), Ok(width_i), Ok(height_i)) = (
        u32::try_from(size - 8),
        u32::try_from(frame_size),
        i32::try_from(width),
        i32::try_from(height),
    ) else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "an AVI of this size does not fit in one RIFF",
        ));
    };
    let movi_size = 4 + u64::from(frames) * (8 + u64::from(frame_size));
    let movi_size = movi_size as u32; // Below riff_size, so it fits.

    let mut head = Vec::with_capacity(AVI_HEADERS as usize);
    let mut put = |bytes: &[u8]| head.extend_from_slice(bytes);
    put(b"RIFF");
    put(&riff_size.to_le_bytes());
    put(b"AVI LIST");
    put(&192u32.to_le_bytes());
    put(b"hdrl");
    // MainAVIHeader.
    put(b"avih");
    put(&56u32.to_le_bytes());
    put(&(1_000_000 / fps).to_le_bytes()); // microseconds per frame
    put(&frame_size.saturating_mul(fps).to_le_bytes()); // max bytes per second
    put(&0u32.to_le_bytes()); // padding granularity
    put(&0x10u32.to_le_bytes()); // AVIF_HASINDEX
    put(&frames.to_le_bytes());
    put(&0u32.to_le_bytes()); // initial frames
    put(&1u32.to_le_bytes()); // streams
    put(&(frame_size + 8).to_le_bytes()); // suggested buffer size
    put(&width.to_le_bytes());
    put(&height.to_le_bytes());
    put(&[0; 16]); // reserved
    put(b"LIST");
    put(&116u32.to_le_bytes());
    put(b"strl");
    // AVIStreamHeader.
    put(b"strh");
    put(&56u32.to_le_bytes());
    put(b"vidsDIB ");
    put(&0u32.to_le_bytes()); // flags
    put(&0u16.to_le_bytes()); // priority
    put(&0u16.to_le_bytes()); // language
    put(&0u32.to_le_bytes()); // initial frames
    put(&1u32.to_le_bytes()); // scale
    put(&fps.to_le_bytes()); // rate: rate / scale = frames per second
    put(&0u32.to_le_bytes()); // start
    put(&frames.to_le_bytes()); // length
    put(&frame_size.to_le_bytes()); // suggested buffer size
    put(&u32::MAX.to_le_bytes()); // quality: default
    put(&frame_size.to_le_bytes()); // sample size
    put(&0u16.to_le_bytes()); // rcFrame: left, top, right, bottom
    put(&0u16.to_le_bytes());
    put(&(width.min(u32::from(u16::MAX)) as u16).to_le_bytes());
    put(&(height.min(u32::from(u16::MAX)) as u16).to_le_bytes());
    // BITMAPINFOHEADER.
    put(b"strf");
    put(&40u32.to_le_bytes());
    put(&40u32.to_le_bytes());
    put(&width_i.to_le_bytes());
    put(&height_i.to_le_bytes()); // positive: rows bottom-up
    put(&1u16.to_le_bytes()); // planes
    put(&24u16.to_le_bytes()); // bits per pixel
    put(&0u32.to_le_bytes()); // BI_RGB
    put(&frame_size.to_le_bytes());
    put(&[0; 16]); // pixels per metre, colours used, colours important
    put(b"LIST");
    put(&movi_size.to_le_bytes());
    put(b"movi");
    debug_assert_eq!(head.len() as u64, AVI_HEADERS);
    out.write_all(&head)?;

    let pattern = Pattern::new(seed);
    let row_bytes = width as usize * 3;
    let stride = (frame_size / height) as usize;
    let mut frame = vec![0u8; 8 + frame_size as usize];
    frame[..4].copy_from_slice(b"00db");
    frame[4..8].copy_from_slice(&frame_size.to_le_bytes());
    for t in 0..frames {
        for (row, y) in frame[8..].chunks_exact_mut(stride).zip((0..height).rev()) {
            pattern.row(y, t, &mut row[..row_bytes], Order::Bgr);
        }
        out.write_all(&frame)?;
    }
    drop(frame);

    // The index: offsets count from the `movi` fourcc.
    out.write_all(b"idx1")?;
    out.write_all(&frames.saturating_mul(16).to_le_bytes())?;
    let mut entries = [0u8; 16 * 256];
    let mut offset = 4u32;
    let mut t = 0;
    while t < frames {
        let count = (frames - t).min(256) as usize;
        for entry in entries.chunks_exact_mut(16).take(count) {
            entry[..4].copy_from_slice(b"00db");
            entry[4..8].copy_from_slice(&0x10u32.to_le_bytes()); // AVIIF_KEYFRAME
            entry[8..12].copy_from_slice(&offset.to_le_bytes());
            entry[12..].copy_from_slice(&frame_size.to_le_bytes());
            offset = offset.wrapping_add(8 + frame_size);
        }
        out.write_all(&entries[..count * 16])?;
        t += count as u32;
    }
    Ok(size)
}

/// Byte order of a pixel.
#[derive(Clone, Copy)]
enum Order {
    Rgb,
    Bgr,
}

/// A colourful plasma: each channel is the sum of two sine waves running in
/// seed-chosen directions, moving with time. Integer phases into a sine table,
/// so a frame costs a few additions per pixel.
struct Pattern {
    sine: [u8; 256],
    /// Per channel and wave: phase step per x, per y, per frame, and start (8.8 fixed point).
    waves: [[[u32; 4]; 2]; 3],
}

impl Pattern {
    fn new(seed: u64) -> Pattern {
        let mut random = SplitMix(seed);
        let mut sine = [0u8; 256];
        for (i, value) in sine.iter_mut().enumerate() {
            *value = (63.5 + 63.5 * (TAU * i as f64 / 256.0).sin()) as u8;
        }
        let mut waves = [[[0u32; 4]; 2]; 3];
        for wave in waves.iter_mut().flatten() {
            for value in wave.iter_mut() {
                *value = (random.next() % 1024) as u32 + 64;
            }
            wave[2] *= 4; // faster in time than in space
            wave[3] = random.next() as u32; // start phase
        }
        Pattern { sine, waves }
    }

    /// Writes row `y` of frame `t` as RGB or BGR triplets into `row`.
    fn row(&self, y: u32, t: u32, row: &mut [u8], order: Order) {
        let mut phases = [[0u32; 2]; 3];
        for (phase, waves) in phases.iter_mut().zip(&self.waves) {
            for (phase, [_, dy, dt, start]) in phase.iter_mut().zip(waves) {
                *phase = start
                    .wrapping_add(y.wrapping_mul(*dy))
                    .wrapping_add(t.wrapping_mul(*dt));
            }
        }
        for pixel in row.chunks_exact_mut(3) {
            let mut rgb = [0u8; 3];
            for ((value, phase), waves) in rgb.iter_mut().zip(&mut phases).zip(&self.waves) {
                *value = self.sine[(phase[0] >> 8) as usize & 255]
                    + self.sine[(phase[1] >> 8) as usize & 255];
                phase[0] = phase[0].wrapping_add(waves[0][0]);
                phase[1] = phase[1].wrapping_add(waves[1][0]);
            }
            if let Order::Bgr = order {
                rgb.reverse();
            }
            pixel.copy_from_slice(&rgb);
        }
    }
}

/// SplitMix64: a tiny deterministic generator for the media's parameters.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    fn be32(bytes: &[u8]) -> u32 {
        u32::from_be_bytes(bytes[..4].try_into().unwrap())
    }

    fn le32(bytes: &[u8]) -> u32 {
        u32::from_le_bytes(bytes[..4].try_into().unwrap())
    }

    fn le16(bytes: &[u8]) -> u16 {
        u16::from_le_bytes(bytes[..2].try_into().unwrap())
    }

    /// Runs `python3 -c script args…`; `None` (with a message) when Python is missing.
    fn python(script: &str, args: &[&std::path::Path]) -> Option<String> {
        match Command::new("python3")
            .arg("-c")
            .arg(script)
            .args(args)
            .output()
        {
            Ok(run) => {
                let stdout = String::from_utf8_lossy(&run.stdout).into_owned();
                assert!(
                    run.status.success(),
                    "python3: {stdout}{}",
                    String::from_utf8_lossy(&run.stderr)
                );
                Some(stdout)
            }
            Err(error) => {
                eprintln!("skipped the Python check (python3 not found: {error})");
                None
            }
        }
    }

    #[test]
    fn png_has_its_chunks_with_correct_crcs() {
        let png = png(37, 21, 5);
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let mut at = 8;
        let mut kinds = Vec::new();
        while at < png.len() {
            let len = be32(&png[at..]) as usize;
            let kind = &png[at + 4..at + 8];
            let data = &png[at + 8..at + 8 + len];
            let crc = be32(&png[at + 8 + len..]);
            let mut hasher = crc32fast::Hasher::new();
            hasher.update(kind);
            hasher.update(data);
            assert_eq!(crc, hasher.finalize(), "{}", String::from_utf8_lossy(kind));
            if kind == b"IHDR" {
                assert_eq!((be32(data), be32(&data[4..])), (37, 21));
                assert_eq!(&data[8..], &[8, 2, 0, 0, 0]);
            }
            kinds.push(String::from_utf8_lossy(kind).into_owned());
            at += 12 + len;
        }
        assert_eq!(at, png.len());
        assert_eq!(kinds, ["IHDR", "IDAT", "IEND"]);
        assert_ne!(png, super::png(37, 21, 6), "the seed changes the picture");
        assert_eq!(
            png,
            super::png(37, 21, 5),
            "the same seed, the same picture"
        );
    }

    #[test]
    fn python_decodes_the_png_with_zlib_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("image.png");
        let (width, height) = (50u32, 30u32);
        std::fs::write(&path, png(width, height, 9)).unwrap();
        let script = r#"
import struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n'
at, idat = 8, b''
while at < len(data):
    n, kind = struct.unpack('>I4s', data[at:at + 8])
    body = data[at + 8:at + 8 + n]
    assert struct.unpack('>I', data[at + 8 + n:at + 12 + n])[0] == zlib.crc32(kind + body)
    if kind == b'IHDR':
        w, h, depth, colour = struct.unpack('>IIBB', body[:10])
    elif kind == b'IDAT':
        idat += body
    at += 12 + n
raw = zlib.decompress(idat)
stride = 1 + 3 * w
assert len(raw) == h * stride and depth == 8 and colour == 2
assert all(raw[y * stride] == 0 for y in range(h))
pixels = [raw[y * stride + 1 + 3 * x:y * stride + 4 + 3 * x] for y in range(h) for x in range(w)]
print(w, h, len(pixels), len(set(pixels)), pixels[0].hex(), pixels[-1].hex())
"#;
        let Some(out) = python(script, &[&path]) else {
            return;
        };
        let fields: Vec<&str> = out.split_whitespace().collect();
        assert_eq!(fields[..3], ["50", "30", "1500"]);
        let colours: usize = fields[3].parse().unwrap();
        assert!(colours > 100, "a colourful pattern, not {colours} colours");
        let mut row = vec![0u8; width as usize * 3];
        let pattern = Pattern::new(9);
        pattern.row(0, 0, &mut row, Order::Rgb);
        assert_eq!(fields[4], hex(&row[..3]));
        pattern.row(height - 1, 0, &mut row, Order::Rgb);
        assert_eq!(fields[5], hex(&row[row.len() - 3..]));
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn wav_header_is_16_bit_mono_16_khz() {
        let wav = wav(1234, 1);
        let samples = 1234 * 16;
        assert_eq!(wav.len(), 44 + samples * 2);
        assert_eq!(&wav[..4], b"RIFF");
        assert_eq!(le32(&wav[4..]) as usize, wav.len() - 8);
        assert_eq!(&wav[8..16], b"WAVEfmt ");
        assert_eq!(le32(&wav[16..]), 16);
        assert_eq!((le16(&wav[20..]), le16(&wav[22..])), (1, 1));
        assert_eq!((le32(&wav[24..]), le32(&wav[28..])), (16_000, 32_000));
        assert_eq!((le16(&wav[32..]), le16(&wav[34..])), (2, 16));
        assert_eq!(&wav[36..40], b"data");
        assert_eq!(le32(&wav[40..]) as usize, samples * 2);
        let peak = wav[44..]
            .chunks_exact(2)
            .map(|s| i16::from_le_bytes([s[0], s[1]]).unsigned_abs())
            .max()
            .unwrap();
        assert!((10_000..=i16::MAX as u16).contains(&peak), "peak {peak}");
        assert_ne!(wav, super::wav(1234, 2));
        assert_eq!(super::wav(0, 1).len(), 44);
    }

    #[test]
    fn python_wave_reads_the_wav() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("voice.wav");
        std::fs::write(&path, wav(2500, 4)).unwrap();
        let script = "import sys, wave\n\
                      w = wave.open(sys.argv[1])\n\
                      print(w.getnframes(), w.getframerate(), w.getsampwidth(), w.getnchannels(), len(w.readframes(w.getnframes())))\n";
        if let Some(out) = python(script, &[&path]) {
            assert_eq!(out.trim(), "40000 16000 2 1 80000");
        }
    }

    /// The chunks of a RIFF list body: (fourcc, body) pairs.
    fn chunks(mut body: &[u8]) -> Vec<(String, &[u8])> {
        let mut found = Vec::new();
        while !body.is_empty() {
            let len = le32(&body[4..]) as usize;
            found.push((
                String::from_utf8_lossy(&body[..4]).into_owned(),
                &body[8..8 + len],
            ));
            body = &body[8 + len + len % 2..];
        }
        found
    }

    #[test]
    fn avi_is_a_riff_of_the_announced_size() {
        let (width, height, frames, fps) = (33u32, 17u32, 12u32, 6u32);
        let mut avi = Vec::new();
        let size = write_avi(&mut avi, width, height, frames, fps, 8).unwrap();
        assert_eq!(size, avi.len() as u64);
        assert_eq!(size, avi_size(width, height, frames));

        assert_eq!(&avi[..4], b"RIFF");
        assert_eq!(le32(&avi[4..]) as usize, avi.len() - 8);
        assert_eq!(&avi[8..12], b"AVI ");
        let top = chunks(&avi[12..]);
        let names: Vec<&str> = top.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["LIST", "LIST", "idx1"]);

        let hdrl = top[0].1;
        assert_eq!(&hdrl[..4], b"hdrl");
        let hdrl = chunks(&hdrl[4..]);
        assert_eq!(hdrl[0].0, "avih");
        let avih = hdrl[0].1;
        assert_eq!(le32(avih), 1_000_000 / fps);
        assert_eq!(le32(&avih[16..]), frames);
        assert_eq!(le32(&avih[24..]), 1);
        assert_eq!((le32(&avih[32..]), le32(&avih[36..])), (width, height));
        assert_eq!(hdrl[1].0, "LIST");
        assert_eq!(&hdrl[1].1[..4], b"strl");
        let strl = chunks(&hdrl[1].1[4..]);
        assert_eq!(strl[0].0, "strh");
        assert_eq!(&strl[0].1[..4], b"vids");
        assert_eq!((le32(&strl[0].1[20..]), le32(&strl[0].1[24..])), (1, fps));
        assert_eq!(le32(&strl[0].1[32..]), frames);
        assert_eq!(strl[1].0, "strf");
        let strf = strl[1].1;
        assert_eq!(
            (le32(strf), le32(&strf[4..]), le32(&strf[8..])),
            (40, width, height)
        );
        assert_eq!(
            (le16(&strf[12..]), le16(&strf[14..]), le32(&strf[16..])),
            (1, 24, 0)
        );
        let frame_size = (width as usize * 3).div_ceil(4) * 4 * height as usize;
        assert_eq!(le32(&strf[20..]) as usize, frame_size);

        let movi = top[1].1;
        assert_eq!(&movi[..4], b"movi");
        let movi = chunks(&movi[4..]);
        assert_eq!(movi.len(), frames as usize);
        assert!(movi
            .iter()
            .all(|(name, body)| name == "00db" && body.len() == frame_size));
        assert_ne!(movi[0].1, movi[1].1, "the picture moves");

        let idx1 = top[2].1;
        assert_eq!(idx1.len(), 16 * frames as usize);
        let movi_start = 12 + 200 + 8; // the `movi` fourcc, after the RIFF header, `hdrl` and the LIST header
        for (i, entry) in idx1.chunks_exact(16).enumerate() {
            assert_eq!(&entry[..4], b"00db");
            assert_eq!(le32(&entry[4..]), 0x10);
            let chunk = movi_start + le32(&entry[8..]) as usize;
            assert_eq!(&avi[chunk..chunk + 4], b"00db", "frame {i}");
            assert_eq!(le32(&entry[12..]) as usize, frame_size);
        }
    }

    #[test]
    fn avi_refuses_impossible_sizes_before_writing() {
        let mut out = Vec::new();
        assert!(write_avi(&mut out, 0, 10, 1, 1, 0).is_err());
        assert!(write_avi(&mut out, 10, 10, 1, 0, 0).is_err());
        assert!(write_avi(&mut out, 4000, 4000, 100, 25, 0).is_err());
        assert!(out.is_empty());
    }

    #[test]
    fn ffprobe_reads_the_avi() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clip.avi");
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        write_avi(&mut file, 64, 48, 25, 25, 2).unwrap();
        file.into_inner().unwrap().sync_all().unwrap();
        let run = Command::new("ffprobe")
            .args(["-v", "error", "-count_frames", "-select_streams", "v:0"])
            .args([
                "-show_entries",
                "stream=codec_type,width,height,nb_read_frames,r_frame_rate",
            ])
            .args(["-of", "default=noprint_wrappers=1"])
            .arg(&path)
            .output();
        match run {
            Ok(run) => {
                let out = String::from_utf8_lossy(&run.stdout);
                assert!(
                    run.status.success() && run.stderr.is_empty(),
                    "ffprobe: {out}{}",
                    String::from_utf8_lossy(&run.stderr)
                );
                for line in [
                    "codec_type=video",
                    "width=64",
                    "height=48",
                    "r_frame_rate=25/1",
                    "nb_read_frames=25",
                ] {
                    assert!(out.lines().any(|l| l == line), "{line} not in {out}");
                }
            }
            Err(error) => eprintln!("skipped the ffprobe check (ffprobe not found: {error})"),
        }
    }
}
