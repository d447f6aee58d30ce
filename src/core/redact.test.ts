import { describe, expect, it } from 'vitest';
import { maskKnownNames, redactPersonal } from './redact.ts';

describe('redactPersonal masks personal data in what anyone may read', () => {
  it('masks the name and the mobile in a resident\'s own words, keeping the rest', () => {
    expect(redactPersonal('我是张三，电话138 1234 5678，莫得人管')).toBe('我是**，电话*** **** ****，莫得人管');
    expect(redactPersonal('我叫李二娃，手机+86 139-8765-4321，楼道灯坏了好久了')).toBe('我叫***，手机+** ***-****-****，楼道灯坏了好久了');
    expect(redactPersonal('我是王嬢嬢13512345678，屋头水管爆了')).toBe(`我是${'*'.repeat(3 + 11)}，屋头水管爆了`);
  });

  it('masks 18-digit ID numbers, with a final X, and long digit runs', () => {
    expect(redactPersonal('本人陈小娟，身份证500105199001011234，低保的事一直没得回音')).toBe('本人***，身份证******************，低保的事一直没得回音');
    expect(redactPersonal('身份证号：50010519850612123X')).toBe('身份证号：******************');
    expect(redactPersonal('身份证 500105 19850612 123x 要复印')).toBe('身份证 ****** ******** **** 要复印');
    expect(redactPersonal('补贴打到卡号6222021234567890123')).toBe('补贴打到卡号*******************');
  });

  it('masks mobiles in every way they are typed: +86, (+86), 86, dashes, full-width digits', () => {
    expect(redactPersonal('联系13812345678')).toBe('联系***********');
    expect(redactPersonal('(+86)13812345678')).toBe('(+**)***********');
    expect(redactPersonal('8613812345678')).toBe('*************');
    expect(redactPersonal('打 138-1234-5678 找我')).toBe('打 ***-****-**** 找我');
    expect(redactPersonal('电话１３８１２３４５６７８')).toBe('电话***********');
    expect(redactPersonal('13812345678和13987654321都打不通')).toBe('***********和***********都打不通');
  });

  it('masks landlines with and without the area code', () => {
    expect(redactPersonal('物业座机023-6886 1234一直没人接')).toBe('物业座机***-**** ****一直没人接');
    expect(redactPersonal('打（023）68861234')).toBe('打（***）********');
    expect(redactPersonal('居委会电话：68861234')).toBe('居委会电话：********');
  });

  it('masks the name after 我叫, 本人, 姓名 and 联系人, and cuts a name short before the next word', () => {
    expect(redactPersonal('我是张三电话打不通')).toBe('我是**电话打不通');
    expect(redactPersonal('联系人：刘德明')).toBe('联系人：***');
    expect(redactPersonal('本人是周晓，住12栋')).toBe('本人是**，住12栋');
    expect(redactPersonal('我是老张，楼下火锅店天天占道')).toBe('我是**，楼下火锅店天天占道');
  });

  it('keeps phrases after 我是 / 本人 that are not names', () => {
    for (const text of ['我是业主，住在5栋', '我是楼下开火锅店的', '我是这里的老住户了', '本人同意上门查看', '我是在菜市场看到的', '本人家住南岸区', '我是说路灯又坏了']) {
      expect(redactPersonal(text)).toBe(text);
    }
  });

  it('leaves dates, times, addresses, amounts and short numbers alone', () => {
    for (const text of ['2026-11-21 13:38 巡查发现', '3栋2单元1201漏水', '罚款500元', '110和120都打了', '已更换水龙头，更换灯泡3个，处理时间2026年11月21日']) {
      expect(redactPersonal(text)).toBe(text);
    }
  });

  it('changes nothing when masking again', () => {
    const once = redactPersonal('我是张三，电话138 1234 5678，身份证500105199001011234，座机023-68861234');
    expect(once).not.toMatch(/张三|1234|5678|0105/);
    expect(redactPersonal(once)).toBe(once);
  });
});

describe('maskKnownNames masks the names of known people wherever they stand', () => {
  it('masks each occurrence, the longer name first, and leaves other words alone', () => {
    expect(maskKnownNames('王建国说，王建和李秀英都同意；王建国再说一遍', ['王建', '王建国', '李秀英', '张'])).toBe('王**说，王*和李**都同意；王**再说一遍');
    expect(maskKnownNames('大家同意', ['王建国'])).toBe('大家同意');
    expect(maskKnownNames('欧阳娜娜来了', ['欧阳娜娜'])).toBe('欧***来了');
  });
});
