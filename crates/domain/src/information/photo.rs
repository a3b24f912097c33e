//! Photos and screenshots as they are kept: the picture, nothing else.
//!
//! A photo a parent takes carries more than the picture: where it was taken (GPS), when,
//! the phone's make and owner, editing software, comments, and a file name that may be
//! their own name. Decision 0008 promises the police never the source's identity, so a
//! photo is decoded and encoded again from its pixels ([`clean`]), which keeps none of the
//! file's metadata blocks (EXIF, XMP, IPTC, ICC, comments, maker notes) whatever their
//! kind; the EXIF orientation is applied to the pixels first, so the picture stands as it
//! was seen. The file name is never kept: a photo is "Photo 2" (`photo-2.jpg`).
//!
//! A photo that may be evidence in itself (where when and where it was taken matter) is
//! handed over as an evidence item with its chain of custody, not shared through the log.
//! Decision 0015 records the choice of re-encoding over stripping blocks.

use image::codecs::gif::{GifDecoder, GifEncoder, Repeat};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::codecs::webp::WebPEncoder;
use image::{AnimationDecoder, DynamicImage, ImageDecoder, ImageError, ImageFormat, Limits};
use std::io::Cursor;

/// The longest side, in pixels, of a photo kept (a 48-megapixel phone photo is 8,000).
pub const MAX_SIDE: u32 = 12_000;
/// The most memory decoding one photo may take.
const MAX_DECODED_BYTES: u64 = 512 * 1024 * 1024;
/// The most pixels of all the frames of a moving GIF together.
const MAX_GIF_PIXELS: u64 = 40_000_000;
/// JPEG quality when encoding again: no visible loss at the sizes photos are looked at.
const JPEG_QUALITY: u8 = 90;

/// Why a file could not be kept as a photo.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoProblem {
    /// Not a JPEG, PNG, GIF or WebP image by its first bytes.
    NotAnImage,
    /// It starts like one but cannot be read (damaged, or cut short).
    Unreadable,
    /// More pixels than a photo has.
    TooLarge,
}

/// A photo as it is kept: encoded again from its pixels, upright, with no metadata.
#[derive(Debug, Clone)]
pub struct CleanPhoto {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    pub extension: &'static str,
}

/// The image types accepted, recognised by their first bytes (what the file says it is
/// and its name are not trusted).
pub fn sniff(bytes: &[u8]) -> Option<ImageFormat> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(ImageFormat::Jpeg)
    } else if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some(ImageFormat::Png)
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(ImageFormat::Gif)
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(ImageFormat::WebP)
    } else {
        None
    }
}

/// The photo's picture alone, in the type it came in: every metadata block gone, the
/// orientation applied. CPU work of up to a second for a large photo: call it off the
/// async threads.
pub fn clean(bytes: &[u8]) -> Result<CleanPhoto, PhotoProblem> {
    let format = sniff(bytes).ok_or(PhotoProblem::NotAnImage)?;
    let mut out = Vec::new();
    let (content_type, extension) = match format {
        ImageFormat::Gif => {
            clean_gif(bytes, &mut out)?;
            ("image/gif", "gif")
        }
        _ => {
            let picture = upright(bytes, format)?;
            match format {
                ImageFormat::Jpeg => {
                    let rgb = match picture {
                        DynamicImage::ImageLuma8(_) => picture,
                        other => DynamicImage::ImageRgb8(other.to_rgb8()),
                    };
                    rgb.write_with_encoder(JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY))
                        .map_err(problem)?;
                    ("image/jpeg", "jpg")
                }
                ImageFormat::Png => {
                    picture
                        .write_with_encoder(PngEncoder::new(&mut out))
                        .map_err(problem)?;
                    ("image/png", "png")
                }
                _ => {
                    let pixels = if picture.color().has_alpha() {
                        DynamicImage::ImageRgba8(picture.to_rgba8())
                    } else {
                        DynamicImage::ImageRgb8(picture.to_rgb8())
                    };
                    pixels
                        .write_with_encoder(WebPEncoder::new_lossless(&mut out))
                        .map_err(problem)?;
                    ("image/webp", "webp")
                }
            }
        }
    };
    Ok(CleanPhoto {
        bytes: out,
        content_type,
        extension,
    })
}

fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    limits
}

fn problem(e: ImageError) -> PhotoProblem {
    match e {
        ImageError::Limits(_) => PhotoProblem::TooLarge,
        _ => PhotoProblem::Unreadable,
    }
}

/// Decodes a still image and turns it the way its EXIF orientation says.
fn upright(bytes: &[u8], format: ImageFormat) -> Result<DynamicImage, PhotoProblem> {
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits());
    let mut decoder = reader.into_decoder().map_err(problem)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut picture = DynamicImage::from_decoder(decoder).map_err(problem)?;
    picture.apply_orientation(orientation);
    Ok(picture)
}

/// A GIF, moving or still, frame by frame: comments and application blocks are not
/// frames, so they are left behind.
fn clean_gif(bytes: &[u8], out: &mut Vec<u8>) -> Result<(), PhotoProblem> {
    let mut decoder = GifDecoder::new(Cursor::new(bytes)).map_err(problem)?;
    decoder.set_limits(limits()).map_err(problem)?;
    let mut frames = Vec::new();
    let mut pixels: u64 = 0;
    for frame in decoder.into_frames() {
        let frame = frame.map_err(problem)?;
        let (w, h) = frame.buffer().dimensions();
        pixels += u64::from(w) * u64::from(h);
        if pixels > MAX_GIF_PIXELS {
            return Err(PhotoProblem::TooLarge);
        }
        frames.push(frame);
    }
    if frames.is_empty() {
        return Err(PhotoProblem::Unreadable);
    }
    let moving = frames.len() > 1;
    let mut encoder = GifEncoder::new(out);
    if moving {
        encoder.set_repeat(Repeat::Infinite).map_err(problem)?;
    }
    encoder.encode_frames(frames).map_err(problem)?;
    Ok(())
}

/// The name a photo is shown by: "Photo 2" for `photo-2.jpg`; a name of another shape is
/// shown as "Photo".
pub fn label(filename: &str) -> String {
    match filename
        .strip_prefix("photo-")
        .and_then(|rest| rest.split('.').next())
        .and_then(|n| n.parse::<u32>().ok())
    {
        Some(n) => format!("Photo {n}"),
        None => "Photo".to_string(),
    }
}

/// A synthetic picture for demo data: a grey street-like gradient, 160 x 120, nothing
/// photographed.
pub fn sample() -> Vec<u8> {
    let img = image::RgbImage::from_fn(160, 120, |x, y| {
        let v = (60 + x / 2 + y / 3) as u8;
        if y > 80 {
            image::Rgb([v / 2, v / 2, v / 2])
        } else {
            image::Rgb([v, v, v.saturating_add(30)])
        }
    });
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(img)
        .write_with_encoder(JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY))
        .map(|()| out)
        .unwrap_or_default()
}

/// The name a photo is kept and offered under: `photo-2.jpg`.
pub fn filename(number: usize, extension: &str) -> String {
    format!("photo-{number}.{extension}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageEncoder, RgbImage};

    /// A little-endian EXIF block: orientation, and a GPS pointer and owner name that must
    /// not survive (synthetic values).
    fn exif(orientation: u16) -> Vec<u8> {
        let mut e = b"II\x2a\0\x08\0\0\0".to_vec();
        e.extend_from_slice(&1u16.to_le_bytes());
        e.extend_from_slice(&[0x12, 0x01, 0x03, 0x00, 0x01, 0, 0, 0]);
        e.extend_from_slice(&orientation.to_le_bytes());
        e.extend_from_slice(&[0, 0, 0, 0, 0, 0]);
        e.extend_from_slice(b"OwnerName A Parent GPSLatitude 51.5");
        e
    }

    /// A 6 x 2 picture, left half red, right half blue, with EXIF saying "turn 90 degrees".
    fn photo(format: ImageFormat) -> Vec<u8> {
        let img = RgbImage::from_fn(6, 2, |x, _| {
            if x < 3 {
                image::Rgb([250, 0, 0])
            } else {
                image::Rgb([0, 0, 250])
            }
        });
        let mut out = Vec::new();
        match format {
            ImageFormat::Jpeg => {
                let mut enc = JpegEncoder::new_with_quality(&mut out, 95);
                enc.set_exif_metadata(exif(6)).unwrap();
                enc.write_image(img.as_raw(), 6, 2, image::ExtendedColorType::Rgb8)
                    .unwrap();
            }
            ImageFormat::Png => {
                let mut enc = PngEncoder::new(&mut out);
                enc.set_exif_metadata(exif(6)).unwrap();
                enc.write_image(img.as_raw(), 6, 2, image::ExtendedColorType::Rgb8)
                    .unwrap();
            }
            ImageFormat::WebP => {
                let mut enc = WebPEncoder::new_lossless(&mut out);
                enc.set_exif_metadata(exif(6)).unwrap();
                enc.write_image(img.as_raw(), 6, 2, image::ExtendedColorType::Rgb8)
                    .unwrap();
            }
            _ => unreachable!(),
        }
        out
    }

    fn contains(hay: &[u8], needle: &[u8]) -> bool {
        hay.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn only_real_images_are_accepted() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(ImageFormat::Jpeg));
        assert_eq!(sniff(b"GIF89a...."), Some(ImageFormat::Gif));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(ImageFormat::WebP));
        assert_eq!(sniff(b"%PDF-1.7"), None);
        assert_eq!(sniff(b"<svg onload=alert(1)>"), None);
        assert_eq!(clean(b"%PDF-1.7").unwrap_err(), PhotoProblem::NotAnImage);
        assert_eq!(
            clean(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]).unwrap_err(),
            PhotoProblem::Unreadable
        );
    }

    #[test]
    fn every_still_type_keeps_its_picture_upright_and_no_metadata() {
        for format in [ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::WebP] {
            let dirty = photo(format);
            assert!(
                contains(&dirty, b"OwnerName"),
                "{format:?} fixture carries EXIF"
            );
            let clean = clean(&dirty).unwrap();
            for gone in [
                &b"OwnerName"[..],
                b"GPSLatitude",
                b"Exif",
                b"eXIf",
                b"EXIF",
                b"II*\0",
            ] {
                assert!(!contains(&clean.bytes, gone), "{format:?} kept {gone:?}");
            }
            let back = image::load_from_memory(&clean.bytes).unwrap().to_rgb8();
            // Turned a quarter clockwise: 2 wide, 6 high, red on top.
            assert_eq!(back.dimensions(), (2, 6), "{format:?}");
            assert!(
                back.get_pixel(0, 0)[0] > 200 && back.get_pixel(0, 5)[2] > 200,
                "{format:?}"
            );
            assert_eq!(sniff(&clean.bytes), Some(format));
        }
    }

    #[test]
    fn a_gif_loses_its_comments_and_keeps_its_frames() {
        let mut gif = Vec::new();
        {
            let mut enc = GifEncoder::new(&mut gif);
            enc.set_repeat(Repeat::Infinite).unwrap();
            let frames = (0..3).map(|i| {
                image::Frame::new(image::RgbaImage::from_pixel(
                    4,
                    4,
                    image::Rgba([i * 80, 0, 0, 255]),
                ))
            });
            enc.encode_frames(frames).unwrap();
        }
        // A comment extension (0x21 0xFE) after the header, the screen descriptor and its
        // colour table, if any.
        let packed = gif[10];
        let at = 13
            + if packed & 0x80 != 0 {
                3 << ((packed & 7) + 1)
            } else {
                0
            };
        let mut dirty = gif[..at].to_vec();
        dirty.extend_from_slice(&[0x21, 0xFE, 17]);
        dirty.extend_from_slice(b"Taken at home 123");
        dirty.push(0);
        dirty.extend_from_slice(&gif[at..]);
        assert!(contains(&dirty, b"Taken at home"));
        let clean = clean(&dirty).unwrap();
        assert!(!contains(&clean.bytes, b"Taken at home"));
        let frames = GifDecoder::new(Cursor::new(&clean.bytes))
            .unwrap()
            .into_frames()
            .collect_frames()
            .unwrap();
        assert_eq!(frames.len(), 3);
    }

    #[test]
    fn too_many_pixels_are_refused_before_decoding() {
        let mut png = Vec::new();
        PngEncoder::new(&mut png)
            .write_image(&[0; 3], 1, 1, image::ExtendedColorType::Rgb8)
            .unwrap();
        // Claim 20,000 x 20,000 in the header (its CRC no longer matches, which is fine:
        // the size is read first).
        png[16..20].copy_from_slice(&20_000u32.to_be_bytes());
        png[20..24].copy_from_slice(&20_000u32.to_be_bytes());
        assert!(matches!(
            clean(&png),
            Err(PhotoProblem::TooLarge | PhotoProblem::Unreadable)
        ));
    }

    #[test]
    fn names_are_neutral() {
        assert_eq!(filename(2, "jpg"), "photo-2.jpg");
        assert_eq!(label("photo-2.jpg"), "Photo 2");
        assert_eq!(label("IMG_A_Parent_home.jpg"), "Photo");
    }
}
