import fs from 'node:fs';
import path from 'node:path';

/**
 * Conformance tests read RIA's official samples from ../shared/spec (or DHX_SPEC_DIR). A user's clone
 * may not have them: then these suites skip with a notice instead of failing.
 */
export const SPEC_DIR = process.env.DHX_SPEC_DIR ?? path.resolve(__dirname, '../../../shared/spec');
export const HAVE_SPEC = fs.existsSync(path.join(SPEC_DIR, 'capsule'));

export function describeSpec(name: string, fn: () => void): void {
  if (HAVE_SPEC) {
    describe(name, fn);
    return;
  }
  describe.skip(`${name} (skipped: official samples not found in ${SPEC_DIR})`, fn);
  console.warn(`NOTICE: ${name}: skipped, the official samples in ../shared/spec are absent (set DHX_SPEC_DIR).`);
}

export const specPath = (...parts: string[]): string => path.join(SPEC_DIR, ...parts);

/**
 * Every official capsule sample with the verdict its INDEX.md states (checked there with xmllint against the
 * official XSD). `true` = valid Capsule 2.1.
 */
export const OFFICIAL_VERDICTS: ReadonlyArray<readonly [string, boolean]> = [
  ['capsule/valid_adit_oneline_with_decmetadata.xml', true],
  ['capsule/valid_adit_soapui_capsule.xml', true],
  ['capsule/valid_adit_to_adit.xml', true],
  ['capsule/valid_adit_to_adit_ddoc_xsd_minimum.xml', true],
  ['capsule/valid_adit_to_dvk.xml', true],
  ['capsule/valid_dvk_icefire.xml', true],
  ['capsule/valid_dvk_icefire_ddoc_3files.xml', true],
  ['capsule/valid_dvk_icefire_with_initiator.xml', true],
  ['capsule/valid_dvk_large_1_5MB_to_adit_and_kov.xml', true],
  ['capsule/valid_dvk_n2ide2_full_metadata.xml', true],
  ['capsule/valid_dvk_soapui_kapsel_21.xml', true],
  ['capsule/invalid_accessrestriction_incomplete.xml', false],
  ['capsule/invalid_element_order.xml', false],
  ['capsule/invalid_file_missing_mimetype.xml', false],
  ['capsule/invalid_no_transport.xml', false],
  ['capsule/invalid_not_xml.xml', false],
  ['capsule/invalid_recipient_child_order.xml', false],
  ['dhx-adapter/capsules/kapsel_21_valid.xml', true],
  ['dhx-adapter/capsules/kapsel_21_valid_small.xml', true],
  ['dhx-adapter/capsules/kapsel_21_valid_soapui.xml', true],
  ['dhx-adapter/capsules/kapsel_21_other_addressee_500.xml', true],
  ['dhx-adapter/capsules/kapsel_21_other_sender_500.xml', true],
  ['dhx-adapter/capsules/kapsel_21_invalid_no_transport.xml', false],
  ['dhx-adapter/capsules/kapsel_21_not_xml.xml', false],
  ['dhx-adapter/capsules/kapsel_21_gzip_base64.txt', false],
  ['dhx-etalon/kapsel_21.development.xml', true],
  ['dhx-etalon/kapsel_21.etalon1.xml', true],
  ['dhx-etalon/kapsel_21.etalon2.xml', true],
  ['dhx-etalon/kapsel_21.arendus-tomcat.xml', true],
  ['dhx-etalon/kapsel_wrong_address.xml', true],
  ['dhx-etalon/DVKkapsel1.xml', true],
  ['dhx-etalon/DVKkapsel2.xml', true],
  ['dhx-etalon/kapsel_21invalid.xml', false],
  ['dhx-etalon/kapsel_21invalid.etalon1.xml', false],
  ['dhx-etalon/kapsel_not_kapsel.txt', false],
  // The reference adapter's test stories (testilood): attachments of DHX 1.x and DVK 2.x requests.
  ['dhx-adapter/testilood/1.1_attachment.xml', true],
  ['dhx-adapter/testilood/1.2_attachment.xml', true],
  ['dhx-adapter/testilood/1.3_attachment.xml', false],
  ['dhx-adapter/testilood/1.4_attachment.txt', false],
  ['dhx-adapter/testilood/1.5_attachment.xml', true],
  ['dhx-adapter/testilood/1.8_attachment.xml', true],
  ['dhx-adapter/testilood/1.9_attachment.xml', true],
  ['dhx-adapter/testilood/1.10_attachment.xml', true],
  ['dhx-adapter/testilood/2.1_attachment.xml', true],
  ['dhx-adapter/testilood/2.2_attachment.xml', false],
  ['dhx-adapter/testilood/2.3_attachment.txt', false],
  ['dhx-adapter/testilood/2.4_attachment.xml', true],
  ['dhx-adapter/testilood/2.13_attachment.xml', true],
];

/** The two official copies of the schema. */
export const OFFICIAL_XSDS = ['capsule/Dvk_kapsel_vers_2_1_eng_est.dvk.xsd', 'dhx-adapter/xsd/Dvk_kapsel_vers_2_1_eng_est.xsd'];
